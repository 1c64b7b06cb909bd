/**
 * Review s5 (printableOutput on standard output): FtpsctlCommand.log now escapes control and
 * bidi characters in every human output, and `audit` prints its csv and html reports through
 * it. Those are machine formats (the README's example is `audit --format csv > audit.csv`):
 * the same report written with --out keeps the characters, so the two files differ, and a
 * profile name in Hebrew or Arabic with U+200F (RIGHT-TO-LEFT MARK, ordinary in such text)
 * becomes the six characters `\u{200f}` in the redirected CSV. `audit sessions --format csv`
 * writes its CSV raw (process.stdout.write), so the two audit commands disagree on what CSV
 * on standard output holds.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-s5-formats-'));
  mkdirSync(path.join(dir, 'profiles'));
  // An RTL profile name with a RIGHT-TO-LEFT MARK; the name rule refuses it, so the report quotes it.
  writeFileSync(
    path.join(dir, 'profiles', 'finance.json'),
    JSON.stringify({
      name: 'مالية\u200f-2',
      host: 'ftp.example.test',
      user: 'finance',
      password: { env: 'PW' },
      tls: { pki: { useSystemTrustStore: true } },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['csv', 'html'])('audit --format %s', (format) => {
  it('standard output holds the same report as --out', async () => {
    const out = path.join(dir, `audit.${format}`);
    const env = { FTPSCTL_POLICY_DIR: '' };
    const toStdout = await runBounded(['audit', '--profiles', 'profiles', '--format', format], { cwd: dir, env });
    const toFile = await runBounded(['audit', '--profiles', 'profiles', '--format', format, '--out', out], {
      cwd: dir,
      env,
    });
    expect([toStdout.code, toFile.code]).toEqual([0, 0]);
    const file = readFileSync(out, 'utf8');
    expect(file).toContain('\u200f');
    // Found: stdout has `\u{200f}` where the --out file has U+200F.
    expect(toStdout.stdout).not.toContain('\\u{200f}');
    // The HTML says when it was generated: the two runs differ there only.
    const undated = (text: string): string => text.replace(/<time datetime="[^"]*">[^<]*<\/time>/g, '<time>');
    expect(undated(toStdout.stdout)).toBe(undated(file));
  });
});
