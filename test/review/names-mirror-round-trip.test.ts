/**
 * Review (names between servers, file systems and the terminal): a mirror's names on the
 * local file system, against pure-ftpd (it lists and takes names as raw bytes).
 *
 * - The engine keeps a byte that is not UTF-8 as U+DC80..U+DCFF (name-codec.ts, PEP 383), so
 *   the name goes back to the server as it was listed. The local side is not told: Node
 *   writes a lone surrogate in a path as U+FFFD. The remote `caf\xe9.txt` (ISO-8859-1) lands
 *   in `caf\xef\xbf\xbd.txt`, and `session mirror --reverse` of that untouched folder uploads
 *   a second remote file `caf\xef\xbf\xbd.txt`: download then upload is not a no-op.
 * - An upload mirror of a local file whose name is not UTF-8 (what a Latin-1 system wrote):
 *   readdir hands Node's lossy U+FFFD name, lstat of that name finds nothing, and the file is
 *   refused as "cannot read it" (it is there and readable); the codec could carry its bytes.
 *
 * Fixed by refusing, with the reason, both ways: Node's file names are UTF-8 strings, so such a
 * name can't be written or read byte for byte here; a mirror never turns it into another name.
 */
import { chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startPureFtpd, type RealServer } from '../../packages/testbed/src/real-servers';
import { describeWithServer } from '../../packages/testbed/src/real-servers/describe-with-server';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
let server: RealServer;
let counter = 0;

const CAFE = Buffer.from('caf\u00e9.txt', 'latin1'); // 63 61 66 e9 2e 74 78 74

/** A fresh folder on the server (as its user) and a profile that reaches it. */
function profileFor(name: string, network: Record<string, unknown> = {}): { profile: string; remote: string } {
  counter += 1;
  const remote = `/${name}-${counter}`;
  const { uid, gid } = statSync(server.root);
  mkdirSync(path.join(server.root, remote));
  chownSync(path.join(server.root, remote), uid, gid);
  const profile = path.join(dir, `${name}-${counter}.json`);
  writeFileSync(
    profile,
    JSON.stringify({
      name,
      host: '127.0.0.1',
      port: server.port,
      user: server.user,
      password: { env: 'PW' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
      network,
    }),
  );
  return { profile, remote };
}

const remoteNames = (remote: string): string[] =>
  readdirSync(path.join(server.root, remote), { encoding: 'buffer' })
    .map((name) => name.toString('hex'))
    .sort();
const hex = (name: string | Buffer): string => (typeof name === 'string' ? Buffer.from(name) : name).toString('hex');

const mirror = (args: string[]) =>
  runBounded(['session', 'mirror', ...args, '--json'], { cwd: dir, env: { PW: server.password }, boundMs: 30_000 });

describeWithServer('pure-ftpd', 'pure-ftpd: mirror names between the server and the local file system', () => {
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-names-mirror-'));
    pki = await createTestPki(path.join(dir, 'pki'));
    server = await startPureFtpd({
      tlsLevel: 2,
      tls: {
        certFile: pki.server.certFile,
        keyFile: pki.server.keyFile,
        bundleFile: pki.serverBundleFile,
        caFile: pki.caFile,
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mirror, then mirror --reverse of the untouched copy, leaves the server with the names it had', async () => {
    const { profile, remote } = profileFor('round-trip');
    const { uid, gid } = statSync(server.root);
    for (const name of [Buffer.from('plain.txt'), CAFE]) {
      const file = Buffer.concat([Buffer.from(path.join(server.root, remote) + '/'), name]);
      writeFileSync(file, 'same size');
      chownSync(file, uid, gid);
    }
    const before = remoteNames(remote);
    const local = path.join(dir, 'round-trip-local');
    const down = await mirror([profile, remote, local]);
    // Fixed by refusing: a name that is not UTF-8 can't be a local name byte for byte, so it is
    // refused with its reason (never written as U+FFFD, another name).
    const downReport = JSON.parse(down.stdout) as { refused: Array<{ reason: string }> };
    expect(downReport.refused.map((r) => r.reason)).toEqual([expect.stringContaining('not UTF-8')]);
    const localNames = readdirSync(local, { encoding: 'buffer' })
      .map((n) => n.toString('hex'))
      .sort();
    expect(localNames).toEqual([hex('plain.txt')]);
    const up = await mirror([profile, remote, local, '--reverse']);
    expect(up.code).toBe(0);
    // Uploading the copy back changes nothing on the server: no second, U+FFFD-named file.
    expect(remoteNames(remote)).toEqual(before);
  });

  it('mirror --reverse refuses a local file whose name is not UTF-8, saying so, and sends the rest', async () => {
    const { profile, remote } = profileFor('latin1-local');
    const local = path.join(dir, 'latin1-local');
    mkdirSync(local);
    writeFileSync(Buffer.concat([Buffer.from(`${local}/`), CAFE]), 'written by a Latin-1 system');
    writeFileSync(path.join(local, 'plain.txt'), 'plain');
    const up = await mirror([profile, remote, local, '--reverse']);
    const report = JSON.parse(up.stdout) as { refused: Array<{ reason: string }> };
    // Node reads the name as U+FFFD and no path reaches the file: refused for that, not "does not exist".
    expect(report.refused.map((r) => r.reason)).toEqual([expect.stringContaining('not valid UTF-8')]);
    expect(remoteNames(remote)).toEqual([hex('plain.txt')]);
  });
});
