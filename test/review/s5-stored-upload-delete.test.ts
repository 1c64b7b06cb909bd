/**
 * Review s5 (StoredUploadError deletes the remote file): what ftpsctl DELEtes after an upload
 * whose check failed. The promise (RELIABILITY U1, StoredUploadError's docstring): only "bytes
 * the server stored that are known to be wrong", i.e. this upload's bytes, are deleted.
 *
 * Found:
 * - A check that could not be made is treated as a check that failed. verifyTransfer throws
 *   FTPSCTL_ERR_VERIFY both for a mismatch and for "could not be verified" (no HASH, SIZE
 *   refused: a write-only drop folder answers SIZE with 550 Permission denied), and
 *   file-transfer.ts wraps every FTPSCTL_ERR_VERIFY in StoredUploadError. A complete, correct
 *   upload (226) is then DELEted, and the message says "it is not the file".
 * - pure-ftpd with autorename (-r) stores the upload as report.txt.1; SIZE report.txt answers
 *   the size of the file that was already there. When the sizes differ the size check fails,
 *   and ftpsctl DELEtes report.txt: a file this upload never wrote (RELIABILITY U5 says the
 *   autorename is "not detected" when sizes are equal; when they differ, it now costs the
 *   existing file).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chownSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHostileServer } from '../../packages/testbed/src/hostile-server';
import type { RealServer } from '../../packages/testbed/src/real-servers';
import { describeWithServer } from '../../packages/testbed/src/real-servers/describe-with-server';
import { startPureFtpd } from '../../packages/testbed/src/real-servers/start-pure-ftpd';
import { connect, isFtpsctlError } from '../../src';
import { createTestPki, type TestPki } from '../../src/loopback/pki';

jest.setTimeout(90_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-s5-dele-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function profileFile(name: string, port: number, user: string, password: string, verify: string): string {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'password.txt'), `${password}\n`, { mode: 0o600 });
  const file = path.join(folder, 'profile.json');
  writeFileSync(
    file,
    JSON.stringify({
      name,
      host: '127.0.0.1',
      port,
      user,
      password: { file: 'password.txt' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
      transfer: { verify },
    }),
  );
  return file;
}

const auditActions = (log: string): string[] =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: { action: string; outcome?: string } })
    .map((e) => `${e.event.action}:${e.event.outcome ?? ''}`);

describe('an upload that could not be verified is not an upload known to be wrong', () => {
  it('a write-only drop folder (SIZE 550 Permission denied): the complete upload is not DELEted', async () => {
    const server = await startHostileServer(
      { replies: { SIZE: '550 drop.csv: Permission denied', DELE: '250 DELE command successful' } },
      { pki: { cert: pki.server.cert, key: pki.server.key } },
    );
    const log = path.join(dir, 'drop.jsonl');
    const local = path.join(dir, 'drop.csv');
    writeFileSync(local, 'id,amount\n1,100\n');
    let outcome: string;
    try {
      const session = await connect(profileFile('drop', server.port, 'alice', 'pw-drop-1', 'size'), {
        auditLogFiles: [log],
      });
      try {
        outcome = await session.upload(local, 'drop.csv').then(
          () => 'success',
          (error: unknown) => (isFtpsctlError(error) ? `${error.code}: ${error.message}` : String(error)),
        );
      } finally {
        await session.close();
      }
    } finally {
      await server.stop();
    }
    const uploaded = server.dataReceived().map((d) => d.bytes.toString());
    // The server received the whole file and answered 226: nothing says these bytes are wrong.
    expect(uploaded).toContain('id,amount\n1,100\n');
    expect(outcome).toMatch(/FTPSCTL_ERR_VERIFY: .*could not be verified/);
    // Found: DELE drop.csv sent (file.delete:success in the audit), and the message says "it is not the file".
    expect(server.commands()).not.toContain('DELE');
    expect(auditActions(log)).not.toContain('file.delete:success');
  });
});

describeWithServer('pure-ftpd', 'pure-ftpd with autorename (-r): the existing file is not deleted', () => {
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

  it('an upload the server stored as report.txt.1 does not cost report.txt (sizes differ)', async () => {
    const { uid, gid } = statSync(server.root);
    const existing = path.join(server.root, 'report.txt');
    writeFileSync(existing, 'version-1 (someone else wrote this)');
    chownSync(existing, uid, gid);
    const local = path.join(dir, 'report.txt');
    writeFileSync(local, 'version-2');
    const log = path.join(dir, 'autorename.jsonl');
    const session = await connect(profileFile('autorename', server.port, server.user, server.password, 'size'), {
      auditLogFiles: [log],
    });
    let outcome: string;
    try {
      outcome = await session.upload(local, 'report.txt').then(
        () => 'success',
        (error: unknown) => (isFtpsctlError(error) ? error.code : String(error)),
      );
    } finally {
      await session.close();
    }
    const names = readdirSync(server.root).sort();
    // The upload went to report.txt.1 (autorename); report.txt is someone else's file.
    expect(names).toContain('report.txt.1');
    expect(outcome).toBe('FTPSCTL_ERR_VERIFY');
    // Found: names ['report.txt.1'], audit file.delete:success for report.txt: the existing file is gone.
    expect(names).toContain('report.txt');
    expect(readFileSync(existing, 'utf8')).toBe('version-1 (someone else wrote this)');
  });
});
