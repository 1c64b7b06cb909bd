/**
 * Review (uploads against real servers): pure-ftpd with autorename (`-r`, "never overwrite:
 * store under NAME.1, NAME.2 ..."), as shared drop servers run it. An upload over an existing
 * file of the same size is stored as report.txt.1; pure-ftpd answers the usual
 * "226-File successfully transferred" (no new name anywhere), SIZE report.txt still says 9, and
 * pure-ftpd has no HASH, so transfer.verify hash falls back to the size: the upload is "verified
 * by size", a success, while report.txt still holds the old version. The remote file's MDTM did
 * not change across the STOR, which is what could tell it.
 * (FTPSCTL_REQUIRE_REAL_SERVERS=1 makes a missing pure-ftpd a failure, not a skip.)
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RealServer } from '../../packages/testbed/src/real-servers';
import { describeWithServer } from '../../packages/testbed/src/real-servers/describe-with-server';
import { startPureFtpd } from '../../packages/testbed/src/real-servers/start-pure-ftpd';
import { isFtpsctlError } from '../../src';
import { openSession } from '../../src/engine';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { engineSettingsFor } from '../helpers/engine-settings';

jest.setTimeout(90_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-upload-real-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithServer('pure-ftpd', 'pure-ftpd with autorename (-r)', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startPureFtpd({
      tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile, bundleFile: pki.serverBundleFile },
      tlsLevel: 3,
      extraArguments: ['-r'],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('an upload the server stored under another name is not reported as a verified upload of report.txt', async () => {
    const settings = engineSettingsFor(server.port, pki.caFile, { user: server.user, transfer: { verify: 'hash' } });
    const session = await openSession(settings, { password: server.password });
    const v1 = path.join(dir, 'report-v1.txt');
    const v2 = path.join(dir, 'report-v2.txt');
    writeFileSync(v1, 'version-1');
    writeFileSync(v2, 'version-2');
    let second: string;
    try {
      await session.put(v1, 'report.txt', { sha256: true });
      second = await session.put(v2, 'report.txt', { sha256: true }).then(
        (result) => `success, verified by ${result.verifiedBy}`,
        (error: unknown) => (isFtpsctlError(error) ? error.code : String(error)),
      );
    } finally {
      await session.close();
    }
    const held = readFileSync(path.join(server.root, 'report.txt'), 'utf8');
    expect(readdirSync(server.root).sort()).toEqual(['report.txt', 'report.txt.1']);
    // Found: { second: 'success, verified by size', held: 'version-1' }.
    expect({ second, held }).not.toEqual({ second: 'success, verified by size', held: 'version-1' });
  });
});
