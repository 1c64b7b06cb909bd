/**
 * Hostile servers against the built CLI, one child process each (issue 12, defects 6-8 and
 * the smaller transfer ones): the exit code, the error, and the child's own peak memory
 * under a bound (VmHWM, with process.resourceUsage().maxRSS reported: measure-cli.ts says why). The jest timeout only catches a hang.
 * The numbers measured are in RELIABILITY.md.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  hugeListing,
  noCloseNotify,
  selfContainingFolder,
  type HostileScript,
} from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';
import { measureCli, type MeasuredRun } from './measure-cli';

jest.setTimeout(180_000);

/** Peak RSS bounds, in MiB: a CLI run that moves little (Node + oclif + TLS is ~100 MiB), and one that holds a listing at its limit. */
const SMALL_RUN_MIB = 250;
const LISTING_AT_LIMIT_MIB = 600;

let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-transfer-resources-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runAgainst(
  script: HostileScript,
  args: string[],
  name: string,
  transfer: Record<string, unknown> = {},
): Promise<MeasuredRun & { audit: string }> {
  return withHostileProfile({ dir, pki, name, passwordEnv: 'HARDENING_PW', transfer }, script, async (profile) => {
    const audit = path.join(dir, `${name}.jsonl`);
    const run = await measureCli(
      ['session', ...args.map((a) => (a === 'PROFILE' ? profile : a)), '--audit-log', audit],
      { cwd: dir, env: { HARDENING_PW: 'pw', FTPSCTL_POLICY_DIR: '' }, timeoutMs: 120_000 },
    );
    let auditText = '';
    try {
      auditText = readFileSync(audit, 'utf8');
    } catch {
      // no audit log written
    }
    return { ...run, audit: auditText };
  });
}

/** Shows the measurement in the jest output, for RELIABILITY.md. */
function report(name: string, run: MeasuredRun): void {
  process.stdout.write(
    `[measured] ${name}: exit ${run.code}, peak RSS ${run.maxRssMiB} MiB (resourceUsage maxRSS ${run.resourceUsageMaxRssMiB} MiB), CPU ${run.cpuMs} ms\n`,
  );
}

interface AuditLine {
  event?: { action?: string; outcome?: string };
  [field: string]: unknown;
}

const transferEvents = (audit: string): AuditLine[] =>
  audit
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as AuditLine)
    .filter((event) => event.event?.action === 'transfer');

describe('defect 6: a truncated download with SIZE refused', () => {
  const reported: HostileScript = {
    ...noCloseNotify({ truncateAt: 50_000 }),
    replies: { SIZE: '502 Command not implemented' },
  };

  it.each([
    ['transfer.verify size (the default)', {}],
    ['transfer.verify hash', { verify: 'hash' }],
  ])('the reported input, %s: exit 6, FTPSCTL_ERR_VERIFY, no file', async (label, transfer) => {
    const local = path.join(dir, `d6-${Object.keys(transfer).length}.bin`);
    const run = await runAgainst(
      reported,
      ['get', 'PROFILE', 'payload.bin', local, '--json'],
      `d6-${Object.keys(transfer).length}`,
      transfer,
    );
    report(`defect 6, ${label}`, run);
    expect(run.hung).toBe(false);
    expect(run.code).toBe(6);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: { code: 'FTPSCTL_ERR_VERIFY', message: expect.stringContaining('answered SIZE with 502') },
    });
    expect(() => readFileSync(local)).toThrow();
    expect(transferEvents(run.audit)).toEqual([
      expect.objectContaining({
        event: expect.objectContaining({ outcome: 'failure' }),
        error: expect.objectContaining({ code: 'FTPSCTL_ERR_VERIFY' }),
      }),
    ]);
    expect(run.maxRssMiB).toBeLessThan(SMALL_RUN_MIB);
  });
});

describe('defect 7: a 1,000,000-entry LIST', () => {
  let server1m: HostileScript;
  beforeAll(() => {
    server1m = hugeListing(1_000_000);
  });

  it.each([[[] as string[]], [['--json']]])(
    'the reported input, session ls %j: exit 6 naming transfer.maxListingEntries, no stack overflow',
    async (extra) => {
      const run = await runAgainst(server1m, ['ls', 'PROFILE', ...extra], `d7-${extra.length}`);
      report(`defect 7, 1,000,000 entries ${extra.join(' ')}`, run);
      expect(run.hung).toBe(false);
      expect(run.code).toBe(6);
      expect(run.stdout + run.stderr).toContain('transfer.maxListingEntries (250000 lines)');
      expect(run.stdout + run.stderr).not.toContain('Maximum call stack size exceeded');
      expect(run.maxRssMiB).toBeLessThan(LISTING_AT_LIMIT_MIB);
    },
  );

  it('250,000 entries (at the default limit), --json: exit 0, every entry, no stack overflow', async () => {
    const run = await runAgainst(hugeListing(250_000), ['ls', 'PROFILE', '--json'], 'd7-250k-json');
    report('defect 7 variant, 250,000 entries --json', run);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { entries: unknown[] }).entries).toHaveLength(250_000);
    expect(run.maxRssMiB).toBeLessThan(LISTING_AT_LIMIT_MIB);
  });

  it('250,000 entries (at the default limit), as a table: exit 0, every entry, no stack overflow', async () => {
    const run = await runAgainst(hugeListing(250_000), ['ls', 'PROFILE'], 'd7-250k-table');
    report('defect 7 variant, 250,000 entries table', run);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').filter((line) => / f\d{7}$/.test(line))).toHaveLength(250_000);
    expect(run.maxRssMiB).toBeLessThan(LISTING_AT_LIMIT_MIB);
  });

  it('a lower transfer.maxListingBytes stops earlier and says so', async () => {
    const run = await runAgainst(hugeListing(1_000_000), ['ls', 'PROFILE'], 'd7-bytes', { maxListingBytes: 1_048_576 });
    report('defect 7 variant, maxListingBytes 1 MiB', run);
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('transfer.maxListingBytes (1048576 bytes)');
    expect(run.maxRssMiB).toBeLessThan(SMALL_RUN_MIB);
  });
});

describe('defect 8: a folder that contains itself', () => {
  it.each([
    ['LIST (the reported input)', selfContainingFolder()],
    ['MLSD', selfContainingFolder({ mlsd: true })],
  ])('%s: session mirror ends, mirrors the file once, and reports d as refused', async (label, script) => {
    const target = path.join(dir, `d8-${label.slice(0, 4)}`);
    mkdirSync(target, { recursive: true });
    const run = await runAgainst(script, ['mirror', 'PROFILE', '.', target], `d8-${label.slice(0, 4)}`);
    report(`defect 8, ${label}`, run);
    expect(run.hung).toBe(false);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/refused folder "d": its listing is identical to that of "\." above it/);
    expect(run.stdout).toContain('downloaded 1, unchanged 0, refused 1, failed 0');
    expect(run.maxRssMiB).toBeLessThan(SMALL_RUN_MIB);
  });
});

describe('local file errors through the CLI', () => {
  it('the part file is a folder: exit 6, FTPSCTL_ERR_LOCAL_FILE naming it and what it is, refused before any transfer', async () => {
    const local = path.join(dir, 'blocked.bin');
    mkdirSync(`${local}.ftpsctl-part`, { recursive: true });
    const run = await runAgainst({}, ['get', 'PROFILE', 'payload.bin', local, '--json'], 'local-eisdir');
    expect(run.code).toBe(6);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: {
        code: 'FTPSCTL_ERR_LOCAL_FILE',
        message: expect.stringContaining(`the part file ${local}.ftpsctl-part: it is a folder, left untouched`),
      },
    });
  });
});

describe('session put writes a failed transfer event', () => {
  it('STOR refused with 553: exit 6, and the audit log has a transfer event with outcome failure and the code', async () => {
    const local = path.join(dir, 'to-upload.bin');
    writeFileSync(local, 'upload me');
    const run = await runAgainst(
      { replies: { STOR: '553 Could not create file' } },
      ['put', 'PROFILE', local, 'up.bin'],
      'put-refused',
    );
    expect(run.code).toBe(6);
    expect(transferEvents(run.audit)).toEqual([
      expect.objectContaining({
        event: expect.objectContaining({ outcome: 'failure' }),
        file: { path: 'up.bin' },
        error: expect.objectContaining({ code: 'FTPSCTL_ERR_COMMAND_FAILED' }),
        ftpsctl: expect.objectContaining({ direction: 'upload' }),
      }),
    ]);
  });
});
