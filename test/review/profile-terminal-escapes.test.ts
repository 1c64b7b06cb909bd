/**
 * Review (profiles as users write them): text from a profile reaching the terminal. Errors go
 * through printableLines (stderr shows ESC as `\u{1b}`), but three stdout paths print the
 * profile's own text raw, so a profile someone else wrote (a shared folder that `audit
 * --profiles` reads, a profile mailed in) can rewrite the reader's terminal (title, clear
 * screen, hidden text) with `\u001b` escapes that JSON allows:
 *
 * - `profile validate`: an unknown key or a named-file path quoted in a problem line;
 * - `resolve` (table): the description (and `user`, whose pattern allows ESC);
 * - `audit --profiles DIR` (table): the problems of an invalid profile.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

const ESC = '\u001b';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-escapes-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(file: string, text: string): string {
  writeFileSync(file, text);
  return file;
}

describe('profile text with terminal escapes is printed escaped', () => {
  it('profile validate: an unknown key and a named path', async () => {
    const file = write(
      path.join(dir, 'keys.json'),
      '{"name": "k", "host": "ftp.example.com", "\\u001b]0;owned\\u0007": 1, "tls": {"pki": {"caFile": "\\u001b[2Jca.pem"}}}',
    );
    const run = await runBounded(['profile', 'validate', file], { cwd: dir });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('owned');
    expect(run.stdout).not.toContain(ESC);
  });

  it('resolve: the description', async () => {
    const file = write(
      path.join(dir, 'described.json'),
      '{"name": "d", "host": "ftp.example.com", "description": "x\\u001b]0;owned\\u0007\\u001b[2Jy"}',
    );
    const run = await runBounded(['resolve', file], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('owned');
    expect(run.stdout).not.toContain(ESC);
  });

  it('audit --profiles: the problems of an invalid profile', async () => {
    const folder = path.join(dir, 'shared');
    mkdirSync(folder);
    write(path.join(folder, 'bad.json'), '{"name": "b", "host": "ftp.example.com", "\\u001b[8mhidden": 1}');
    const run = await runBounded(['audit', '--profiles', folder], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('hidden');
    expect(run.stdout).not.toContain(ESC);
  });
});
