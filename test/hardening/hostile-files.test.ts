/**
 * Issue 12, hostile files and a failing audit log, as users hit them: the built `ftpsctl` in
 * a child process, asserting the error (file, line, column, the fix), the exit code (3 for a
 * bad file, never 1) and the child's own peak RSS and CPU time (process.resourceUsage() and
 * VmHWM, see measure-cli.ts). No wall-clock assertion: the timeout only ends a hang.
 * RSS bounds are about twice what was measured (RELIABILITY.md); the node + oclif baseline is
 * about 100 MiB.
 */
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/run-cli';
import {
  deepNestingPolicy,
  manyPolicyFolder,
  manySettingsPolicy,
  numberProfile,
  reservedNamePolicy,
  utf16Policy,
} from './hostile-fixtures';
import { measureCli, type MeasuredRun } from './measure-cli';

/** Generous: it ends a hang, it times nothing. */
const HANG_TIMEOUT_MS = 120_000;
const runMeasured = (args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<MeasuredRun> =>
  measureCli(args, { ...options, timeoutMs: HANG_TIMEOUT_MS });

jest.setTimeout(HANG_TIMEOUT_MS * 2 + 30_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-hostile-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROFILE = path.join(repoRoot, 'examples/profiles/explicit.json');

/** A folder holding just `file` (so `resolve --policies` reads only it). */
function folderWith(file: string, name: string): string {
  const folder = path.join(dir, name);
  mkdirSync(folder, { mode: 0o755 });
  writeFileSync(path.join(folder, path.basename(file)), readFileSync(file));
  return folder;
}

/** Peak RSS and CPU time (the child's own, not wall clock) under the bounds; printed for RELIABILITY.md. */
function expectBounded(run: MeasuredRun, bounds: { rssMiB: number; cpuSeconds: number }): void {
  process.stdout.write(
    `${expect.getState().currentTestName ?? ''}: exit ${run.code}, ${run.maxRssMiB} MiB peak RSS, ${(run.cpuMs / 1000).toFixed(2)} s CPU${run.hung ? ' (HUNG, killed)' : ''}\n`,
  );
  expect(run.hung).toBe(false);
  expect(run.code).not.toBe(1);
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/); // never a stack trace
  expect(run.maxRssMiB).toBeLessThan(bounds.rssMiB);
  expect(run.cpuMs).toBeLessThan(bounds.cpuSeconds * 1000);
}

describe('hostile policy files', () => {
  it('defect 1: 100,000 nested elements in <description>: validate exits 3 at the first element too deep', async () => {
    const file = deepNestingPolicy(dir);
    const run = await runMeasured(['policy', 'validate', file]);
    expectBounded(run, { rssMiB: 250, cpuSeconds: 10 });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe(
      `${file}:3:106 elements are nested more than 32 levels deep here; a policy is at most 3 levels deep (<policy>, <setting>, <value>): remove the nested markup\n`,
    );
  });

  it('defect 1: the same policy under resolve refuses the session it covers, naming the file and line', async () => {
    const folder = folderWith(deepNestingPolicy(dir), 'deep-only');
    const run = await runMeasured(['resolve', PROFILE, '--policies', folder, '--json']);
    expectBounded(run, { rssMiB: 250, cpuSeconds: 10 });
    expect([3, 4]).toContain(run.code);
    expect(run.stdout + run.stderr).toContain('deep.xml');
    expect(run.stdout + run.stderr).toContain('nested more than 32 levels');
  });

  it('defect 2: 19,000 <setting> elements in one file under 1 MiB: exits 3 with the first 100 problems, each at its line, and a count', async () => {
    const file = manySettingsPolicy(dir);
    const run = await runMeasured(['policy', 'validate', file]);
    expectBounded(run, { rssMiB: 300, cpuSeconds: 15 });
    expect(run.code).toBe(3);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(101);
    expect(lines[0]).toBe(`${file}:4:1 port has enforce="mandatory" twice in this policy (first at line 3); keep one`);
    expect(lines[100]).toBe(`${file}:1:1 18899 more problems not listed (at most 100 are); fix these and run again`);
  });

  it('defect 3: 10,000 one-setting policies without appliesTo: validate finds the one contradiction among them', async () => {
    const folder = manyPolicyFolder(dir, 10_000, true);
    const run = await runMeasured(['policy', 'validate', folder]);
    expectBounded(run, { rssMiB: 500, cpuSeconds: 60 });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(
      `${path.join(folder, 'p00000.xml')}:3:3 tls.minVersion: the floor TLSv1.3 of policy p0 (${path.join(folder, 'p00000.xml')}:3) is above the ceiling TLSv1.2 of policy p9999 (${path.join(folder, 'p09999.xml')}:3); no value satisfies both [contradiction]`,
    );
    expect(run.stdout.match(/\[contradiction\]/g)).toHaveLength(1);
    expect(run.stdout).not.toContain('set check stopped');
  });

  it('defect 3: resolve with the same 10,000 policies stays in the same bounds', async () => {
    const run = await runMeasured(['resolve', PROFILE, '--policies', manyPolicyFolder(dir, 10_000, false), '--json']);
    expectBounded(run, { rssMiB: 500, cpuSeconds: 60 });
    expect(JSON.parse(run.stdout)).toMatchObject({ profile: expect.anything() });
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'an element <%s> is a problem at its line, exit 3',
    async (name) => {
      const file = reservedNamePolicy(dir, name);
      const run = await runMeasured(['policy', 'validate', file]);
      expectBounded(run, { rssMiB: 250, cpuSeconds: 10 });
      expect(run.code).toBe(3);
      expect(run.stdout).toBe(
        `${file}:3:3 unknown element <${name}>; a policy has only <policy>, <description>, <appliesTo>, <profile>, <host>, <setting> and <value>: remove it\n`,
      );
    },
  );

  it('a policy saved as UTF-16 says to save it as UTF-8, exit 3', async () => {
    const file = utf16Policy(dir);
    const run = await runMeasured(['policy', 'validate', file]);
    expectBounded(run, { rssMiB: 250, cpuSeconds: 10 });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe(
      `${file}:1:1 is encoded as UTF-16 little-endian (byte order mark FF FE), not UTF-8; policy files are UTF-8: save it as UTF-8 (Notepad: Save As, Encoding "UTF-8"; iconv -f UTF-16 -t UTF-8 FILE)\n`,
    );
  });
});

describe('hostile profile files', () => {
  it.each([
    ['1e400', 'the number 1e400 is too large (the largest is about 1.8e308)'],
    ['-1e400', 'the number -1e400 is too large (the largest is about 1.8e308)'],
    ['9007199254740993', 'the integer 9007199254740993 is too large to keep exactly (more than 2^53 - 1)'],
  ])('port %s is refused at its line and column, not read as null', async (port, message) => {
    const file = numberProfile(dir, port);
    const run = await runMeasured(['profile', 'validate', file]);
    expectBounded(run, { rssMiB: 250, cpuSeconds: 10 });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`${file}:4:11 invalid JSON: ${message}; write the value the setting needs`);
    expect(run.stdout).not.toContain('null');
  });
});

describe('an audit log that cannot be written (defect 9)', () => {
  let server: Server;
  let connections = 0;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a full device (/dev/full): the session stops before connecting, FTPSCTL_ERR_AUDIT_LOG names the log, exit 6 (never 1)', async () => {
    const port = (server.address() as { port: number }).port;
    const profile = path.join(dir, 'audited.json');
    writeFileSync(
      profile,
      JSON.stringify({
        name: 'audited',
        host: '127.0.0.1',
        port,
        user: 'alice',
        password: { env: 'FTPSCTL_TEST_PW' },
        audit: { logFile: '/dev/full' },
      }),
    );
    const policies = path.join(dir, 'no-policies');
    mkdirSync(policies, { recursive: true, mode: 0o755 });
    const run = await runMeasured(['session', 'ls', profile, '--policies', policies, '--json'], {
      env: { FTPSCTL_TEST_PW: 'audit-secret-4f1c' },
    });
    expectBounded(run, { rssMiB: 250, cpuSeconds: 10 });
    expect(run.code).toBe(6);
    const output = JSON.parse(run.stdout || run.stderr) as { error: { code: string; message: string } };
    expect(output.error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(output.error.message).toContain('the audit log /dev/full is a character device, not a regular file');
    expect(run.stdout + run.stderr).not.toContain('audit-secret-4f1c');
    expect(connections).toBe(0);
  });
});
