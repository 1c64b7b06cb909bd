/**
 * Review (outside in): files the user names on the command line that are not regular files.
 * README promises that every file ftpsctl is given is checked (regular file, size cap, no FIFO)
 * and that an input problem ends with a clear error and exit 2 or 3, never a hang. The profile,
 * policy, password and audit-log paths hold; these do not:
 *
 * - `policy import FILE` reads FILE with readFile and no check: a FIFO blocks forever, and a
 *   device such as /dev/zero is read until the process is killed.
 * - `audit --out`, `profile init --force`, `policy import --out --force` and `policy admx --out`
 *   open their output with writeFile: a FIFO there blocks forever (open(2) waits for a reader),
 *   and a device (/dev/null behind a symbolic link) is "written" and reported as written.
 *
 * Each run has a 10 s kill bound; `killed: true` is the hang.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REG_DWORD, writeRegistryPol } from '../../src/policy/group-policy/registry-pol';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let dir: string;
let fifo: string;
let registryPol: string;
let profiles: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-outside-'));
  fifo = path.join(dir, 'named-pipe');
  execFileSync('mkfifo', [fifo]);
  registryPol = path.join(dir, 'Registry.pol');
  writeFileSync(
    registryPol,
    writeRegistryPol([{ key: 'Software\\Policies\\ftpsctl', valueName: 'tls.fipsMode', type: REG_DWORD, data: 1 }]),
  );
  profiles = path.join(dir, 'profiles');
  mkdirSync(profiles);
  writeFileSync(path.join(profiles, 'a.json'), JSON.stringify({ name: 'a', host: 'ftp.example.com' }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policy import reads a file it never checked', () => {
  it('a FIFO: exit 3 naming it as a FIFO, not a hang', async () => {
    const run = await runBounded(['policy', 'import', fifo], { cwd: dir });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/named-pipe.*(FIFO|not a regular file)/);
  });

  it('a character device (/dev/zero behind a symbolic link): exit 3, not read until killed', async () => {
    const link = path.join(dir, 'zero.pol');
    symlinkSync('/dev/zero', link);
    const run = await runBounded(['policy', 'import', link], { cwd: dir });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/zero\.pol.*(device|not a regular file)/);
  });
});

describe('an output path that is a FIFO or a device', () => {
  it('audit --out FIFO: a usage error (exit 2) as for a folder, not a hang', async () => {
    const run = await runBounded(['audit', '--profiles', profiles, '--format', 'csv', '--out', fifo], { cwd: dir });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/named-pipe.*(FIFO|not a regular file)/);
  });

  it('profile init FIFO --force: exit 2, not a hang', async () => {
    const run = await runBounded(['profile', 'init', fifo, '--name', 'p', '--host', 'ftp.example.com', '--force'], {
      cwd: dir,
    });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/named-pipe.*(FIFO|not a regular file)/);
  });

  it('profile init --force onto a link to /dev/null: refused, not "wrote" (the profile went nowhere)', async () => {
    const link = path.join(dir, 'devnull.json');
    symlinkSync('/dev/null', link);
    const run = await runBounded(['profile', 'init', link, '--name', 'p', '--host', 'ftp.example.com', '--force'], {
      cwd: dir,
    });
    expect(run.stdout).not.toMatch(/^wrote /m);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/devnull\.json.*(device|not a regular file)/);
  });

  it('policy import --out FIFO --force: exit 2, not a hang', async () => {
    const run = await runBounded(['policy', 'import', registryPol, '--out', fifo, '--force'], { cwd: dir });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/named-pipe.*(FIFO|not a regular file)/);
  });

  it('policy admx --out DIR whose ftpsctl.admx is a FIFO: exit 2, not a hang', async () => {
    const out = path.join(dir, 'admx');
    mkdirSync(out);
    execFileSync('mkfifo', [path.join(out, 'ftpsctl.admx')]);
    const run = await runBounded(['policy', 'admx', '--out', out], { cwd: dir });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ftpsctl\.admx.*(FIFO|not a regular file)/);
  });
});
