/**
 * A 1 GiB put and get with PROT P against vsftpd, each in a process of its own: equal
 * SHA-256 at both ends, and the client's peak RSS under 150 MB (memory stays flat whatever
 * the file size). The speed is measured by `npm run bench -- transfer`, not here.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createTestPki } from '../../src/loopback/pki';
import { startVsftpd, type RealServer } from '../../packages/testbed/src/real-servers';
import { describeWithServer } from '../../packages/testbed/src/real-servers/describe-with-server';
import { applyDefaults } from '../../src/settings/apply-defaults';
import { repoRoot } from '../helpers/run-cli';

jest.setTimeout(300_000);

const SIZE = 1024 * 1024 * 1024;
const PEAK_RSS_LIMIT = 150 * 1024 * 1024;

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file, { highWaterMark: 4 * 1024 * 1024 }), hash);
  return hash.digest('hex');
}

interface ProbeResult {
  bytes: number;
  sha256: string;
  maxRssBytes: number;
  sessionResumed: boolean;
  encrypted: boolean;
}

function probe(job: object): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(repoRoot, 'dist', 'scripts', 'transfer-probe.js')],
      { timeout: 240_000 },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`transfer probe failed: ${stderr}`));
        resolve(JSON.parse(stdout) as ProbeResult);
      },
    );
    child.stdin?.end(JSON.stringify(job));
  });
}

describeWithServer('vsftpd', '1 GiB over PROT P against vsftpd', () => {
  let dir: string;
  let server: RealServer;
  let settings: object;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-1g-'));
    const pki = await createTestPki(path.join(dir, 'pki'));
    server = await startVsftpd({
      mode: 'explicit',
      tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile },
    });
    const fd = openSync(path.join(dir, 'source.bin'), 'w');
    for (let written = 0; written < SIZE; written += 8 * 1024 * 1024) writeSync(fd, randomBytes(8 * 1024 * 1024));
    closeSync(fd);
    settings = applyDefaults({
      name: 'big',
      host: '127.0.0.1',
      port: server.port,
      user: server.user,
      password: { env: 'UNUSED' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
    });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts and gets 1 GiB with equal SHA-256 at both ends and peak RSS under 150 MB', async () => {
    const source = path.join(dir, 'source.bin');
    const sourceSha = await sha256OfFile(source);
    const put = await probe({
      settings,
      password: server.password,
      direction: 'put',
      remote: 'big.bin',
      local: source,
      sha256: true,
    });
    expect(put).toMatchObject({ bytes: SIZE, sha256: sourceSha, encrypted: true, sessionResumed: true });
    expect(await sha256OfFile(path.join(server.root, 'big.bin'))).toBe(sourceSha);
    expect(put.maxRssBytes).toBeLessThan(PEAK_RSS_LIMIT);
    const local = path.join(dir, 'down.bin');
    const get = await probe({
      settings,
      password: server.password,
      direction: 'get',
      remote: 'big.bin',
      local,
      sha256: true,
    });
    expect(get).toMatchObject({ bytes: SIZE, sha256: sourceSha, encrypted: true, sessionResumed: true });
    expect(await sha256OfFile(local)).toBe(sourceSha);
    expect(get.maxRssBytes).toBeLessThan(PEAK_RSS_LIMIT);
  });
});
