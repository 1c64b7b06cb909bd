/**
 * Review (names between servers, file systems and the terminal): can a name `session ls`
 * lists be given back to `session get/rm/mv`?
 *
 * - A name that is not UTF-8 (`caf\xe9.txt` from a Latin-1 server, pure-ftpd here) is listed
 *   as `caf\u{dce9}.txt` (printableText of the lone surrogate the codec keeps), and in --json
 *   as "caf\udce9.txt". Neither can be typed back: `session rm P 'caf\u{dce9}.txt'` sends the
 *   ten characters `\u{dce9}` (553 from pure-ftpd), and the raw byte in argv reaches the
 *   engine as U+FFFD (Node decodes argv as UTF-8) and goes out as EF BF BD (550). The CLI has
 *   no way to download, delete or rename such a file; the library has (the lone surrogate).
 * - printableText does not escape the backslash of its own escapes: a server that lists both
 *   `caf\xe9.txt` and the ASCII name `caf\u{dce9}.txt` gets two identical lines in `session ls`,
 *   so what is shown is not the name (the same holds for ESC: `a\u{1b}` and `a` ESC).
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startPureFtpd, type RealServer } from '../../packages/testbed/src/real-servers';
import { describeWithServer } from '../../packages/testbed/src/real-servers/describe-with-server';
import { withHostileProfile } from '../helpers/hostile-profile';
import { binary } from '../helpers/run-cli';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-names-cli-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CAFE = Buffer.from('caf\u00e9.txt', 'latin1');

describeWithServer('pure-ftpd', 'pure-ftpd: a listed name that is not UTF-8, given back on the command line', () => {
  let server: RealServer;
  let profile: string;
  beforeAll(async () => {
    server = await startPureFtpd({
      tlsLevel: 2,
      tls: {
        certFile: pki.server.certFile,
        keyFile: pki.server.keyFile,
        bundleFile: pki.serverBundleFile,
        caFile: pki.caFile,
      },
    });
    profile = path.join(dir, 'pure.json');
    writeFileSync(
      profile,
      JSON.stringify({
        name: 'pure',
        host: '127.0.0.1',
        port: server.port,
        user: server.user,
        password: { env: 'PW' },
        tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
      }),
    );
  });
  afterAll(() => server?.stop());

  it('session rm of the name as session ls shows it, or of its bytes, deletes the file', async () => {
    const { uid, gid } = statSync(server.root);
    const file = Buffer.concat([Buffer.from(`${server.root}/`), CAFE]);
    writeFileSync(file, 'listed, and to be deleted');
    chownSync(file, uid, gid);
    const env = { PW: server.password };
    const ls = await runBounded(['session', 'ls', profile], { cwd: dir, env });
    expect(ls.code).toBe(0);
    const shown = /file\s+\d+\s+\S+ \S+\s+(caf.*\.txt)$/m.exec(ls.stdout)?.[1];
    expect(shown).toBeDefined();
    // 1. What ls shows, typed back.
    const asShown = await runBounded(['session', 'rm', profile, shown as string], { cwd: dir, env });
    // 2. The name's own bytes in argv (a shell's $'caf\xe9.txt').
    let asBytes: string;
    try {
      asBytes = execFileSync(
        'bash',
        ['-c', `"$0" "$1" session rm "$2" $'caf\\xe9.txt' 2>&1`, process.execPath, binary, profile],
        {
          cwd: dir,
          env: { ...process.env, ...env, FTPSCTL_POLICY_DIR: '', NO_COLOR: '1' },
        },
      ).toString();
    } catch (error) {
      asBytes = String((error as { stdout?: Buffer }).stdout);
    }
    const lastLine = (text: string): string => text.trim().split('\n').pop() ?? '';
    const outcome = existsSync(file)
      ? `still there; rm as shown: ${lastLine(asShown.stderr)}; rm as bytes: ${lastLine(asBytes)}`
      : 'deleted';
    expect(outcome).toBe('deleted');
  });
});

describe('session ls: what is shown is the name', () => {
  it('two different names are never shown as the same text', async () => {
    const line = (name: Buffer): Buffer =>
      Buffer.concat([Buffer.from('-rw-r--r--    1 ftp      ftp          5 Jan 01 00:00 '), name, Buffer.from('\r\n')]);
    const listing = Buffer.concat([line(CAFE), line(Buffer.from('caf\\u{dce9}.txt'))]);
    await withHostileProfile(
      { dir, pki, name: 'look-alike', passwordEnv: 'PW' },
      { payloads: { listing } },
      async (hostile) => {
        const run = await runBounded(['session', 'ls', hostile], { cwd: dir, env: { PW: 'pw-look-alike-1' } });
        expect(run.code).toBe(0);
        const names = run.stdout
          .split('\n')
          .filter((l) => l.startsWith('file'))
          .map((l) => l.replace(/^file\s+5\s+\S+ \S+\s+/, ''));
        expect(names).toHaveLength(2);
        expect(names[0]).not.toBe(names[1]);
      },
    );
  });
});
