/**
 * Review of today's writeUserFile (src/files/write-user-file.ts): an existing file is opened,
 * truncated, then written in place. When the write fails part-way (disk full, a quota, the
 * file size limit), the file the user had is gone and what is left is empty or cut short;
 * the error only says the write failed. `profile init --force` over an existing profile under
 * a file size limit of 0 blocks (RLIMIT_FSIZE, which fails write(2) with EFBIG the way a full
 * disk fails it with ENOSPC) leaves a 0-byte profile. `policy import --out --force` into a
 * policy folder and `policy admx --out` go through the same code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binary } from '../helpers/run-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-write-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI under `ulimit -f blocks` (stdout and stderr are pipes: the limit does not apply to them). */
function runWithFileSizeLimit(
  blocks: number,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      '/bin/sh',
      ['-c', `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, binary, ...args],
      { cwd: dir, env: { ...process.env, NO_COLOR: '1', FTPSCTL_POLICY_DIR: '' }, timeout: 20_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

it('profile init --force that cannot write the new profile leaves the old one as it was', async () => {
  const file = path.join(dir, 'payroll.json');
  const old = `${JSON.stringify({ name: 'payroll', host: 'keep.example.com', user: 'alice' }, null, 2)}\n`;
  writeFileSync(file, old);
  const run = await runWithFileSizeLimit(0, [
    'profile',
    'init',
    file,
    '--name',
    'payroll',
    '--host',
    'ftp.example.com',
    '--force',
  ]);
  expect(run.code).not.toBe(0);
  expect(run.stderr).toMatch(/cannot write the profile/);
  // Found: the file is empty (truncated before the write that failed).
  expect(readFileSync(file, 'utf8')).toBe(old);
});
