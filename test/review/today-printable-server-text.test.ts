/**
 * Review of today's printable-text.ts (server text shown escaped):
 *
 * - The pattern escapes every UTF-16 surrogate code unit, not only lone ones (the comment says
 *   "lone surrogate"): a valid pair (any character above U+FFFF: emoji, CJK extension B) is
 *   shown as two escapes. Since today every CLI error message goes through printableLines, a
 *   missing file named `Bericht 📄.csv` is reported as `Bericht \u{d83d}\u{dcc4}.csv`; ls
 *   shows such names the same way.
 * - `--debug` prints the protocol log on stderr as the server sent it: the ESC sequence the
 *   error message now escapes reaches the terminal raw on the line above it.
 * - A listing warning quotes the entry name with JSON.stringify, which leaves C1 controls
 *   (U+009B, CSI) as they are, while printableText escapes them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { printableLines, printableText } from '../../src/text/printable-text';
import { withHostileProfile } from '../helpers/hostile-profile';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-printable-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('characters above U+FFFF are printable', () => {
  it('printableText and printableLines keep a valid surrogate pair, and still escape a lone one', () => {
    expect(printableText('report-😀.csv')).toBe('report-😀.csv');
    expect(printableLines('550 Bericht 📄.csv: not found\n')).toBe('550 Bericht 📄.csv: not found\n');
    expect(printableText('a\ud800b')).toBe('a\\u{d800}b');
  });

  it('session get of a missing emoji-named file names it as written in the error', async () => {
    await withHostileProfile(
      { dir, pki, name: 'emoji', passwordEnv: 'PW' },
      { replies: { SIZE: (c) => `550 ${c.argument}: No such file or directory`, RETR: '550 gone' } },
      async (profile) => {
        const run = await runBounded(['session', 'get', profile, 'Bericht 📄.csv'], {
          cwd: dir,
          env: { PW: 'pw-emoji-1' },
        });
        expect(run.code).toBe(6);
        // Found: "Bericht \u{d83d}\u{dcc4}.csv".
        expect(run.stderr).toContain('Bericht 📄.csv');
      },
    );
  });
});

describe('server text on stderr outside error messages', () => {
  it('--debug shows a reply with ESC [ 2 J escaped, as the error message does', async () => {
    await withHostileProfile(
      { dir, pki, name: 'debug-escape', passwordEnv: 'PW' },
      { replies: { SIZE: '213 5', RETR: '550 gone \u001b[2J\u001b]0;owned\u0007' } },
      async (profile) => {
        const run = await runBounded(['session', 'get', profile, 'x.txt', '--debug'], {
          cwd: dir,
          env: { PW: 'pw-debug-1' },
        });
        expect(run.code).toBe(6);
        expect(run.stderr).toContain('< 550 gone');
        expect(run.stderr).not.toContain('\u001b');
        expect(run.stderr).not.toContain('\u0007');
      },
    );
  });

  it('a listing warning quoting a name with a C1 control (U+009B) shows it escaped', async () => {
    await withHostileProfile(
      { dir, pki, name: 'c1-warning', passwordEnv: 'PW' },
      {
        features: ['AUTH TLS', 'PBSZ', 'PROT', 'EPSV', 'PASV', 'SIZE', 'UTF8', 'MLST type*;size*;modify*;'],
        payloads: { mlsd: 'type=file;size=1;modify=notatime; evil\u009b2Jname\r\n' },
      },
      async (profile) => {
        const run = await runBounded(['session', 'ls', profile], { cwd: dir, env: { PW: 'pw-c1-1' } });
        expect(run.code).toBe(0);
        expect(run.stderr).toContain('evil');
        expect(run.stderr).not.toContain('\u009b');
      },
    );
  });
});
