/**
 * Review (auditor's view): `ftpsctl audit sessions` hides failed sessions.
 *
 * - A profile named `constructor` (valid per schemas/session-profile.schema.json: letters,
 *   digits, `.`, `_`, `-`) disappears from the per-profile counts: `summary.profiles` is a
 *   plain object, `summary.profiles['constructor'] ??= {...}` finds Object's constructor, and
 *   `p.sessions += 1` writes onto the global `Object` function instead. Its failed session is
 *   counted nowhere in the profile table (`toString`, `valueOf`, `hasOwnProperty` do the same).
 * - Two sessions under one `ftpsctl.session_id` (a forged or replayed line, a log pasted
 *   twice): the last session.end wins, so a failed session followed by a successful one is
 *   reported `success` (with the failure's error code in its problem column) and
 *   `--outcome failure` no longer finds it.
 * - A log whose tail is a long run of NUL bytes (what a file system leaves in a file after a
 *   crash mid-append; here 700 MiB, sparse) ends `audit sessions` with a Node.js stack trace,
 *   "RangeError: Invalid string length", exit 1, and no report: readline builds the whole
 *   "line" in one string. The sessions before it are not shown.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync, ftruncateSync, fstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SessionLogReader } from '../../src/audit/session-log-summary';
import { runBounded } from './run-bounded';

jest.setTimeout(120_000);

const line = (
  timestamp: string,
  sessionId: string,
  profile: string,
  event: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string =>
  JSON.stringify({
    '@timestamp': timestamp,
    event,
    ftpsctl: { session_id: sessionId, profile, resolution_sha256: 'ab'.repeat(32), policies: [], managed: true },
    server: { address: '127.0.0.1', port: 21 },
    user: { name: 'alice' },
    ...extra,
  });

const failedSession = (sessionId: string, profile: string, hour: string): string[] => [
  line(`2026-11-25T${hour}:00:00.000Z`, sessionId, profile, { action: 'session.start', outcome: 'unknown' }),
  line(
    `2026-11-25T${hour}:00:01.000Z`,
    sessionId,
    profile,
    { action: 'session.end', outcome: 'failure', duration: 1_000_000_000 },
    { error: { code: 'FTPSCTL_ERR_TRANSFER', message: '1 transfer failed' } },
  ),
];
const goodSession = (sessionId: string, profile: string, hour: string): string[] => [
  line(`2026-11-25T${hour}:00:00.000Z`, sessionId, profile, { action: 'session.start', outcome: 'unknown' }),
  line(`2026-11-25T${hour}:00:01.000Z`, sessionId, profile, {
    action: 'session.end',
    outcome: 'success',
    duration: 1_000_000_000,
  }),
];

function read(lines: string[]): ReturnType<SessionLogReader['report']> {
  const reader = new SessionLogReader();
  reader.startFile('audit.jsonl');
  for (const l of lines) reader.add(l);
  return reader.report();
}

describe('a profile whose name is an Object.prototype member', () => {
  // Undo what the defect writes onto the globals, so the tests after these run clean.
  const counters = ['sessions', 'succeeded', 'failed', 'refused', 'transfers', 'failedTransfers', 'bytes'];
  afterEach(() => {
    for (const target of [Object, Object.prototype] as Array<Record<string, unknown>>)
      for (const key of counters) if (Object.prototype.hasOwnProperty.call(target, key)) delete target[key];
  });

  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty'])(
    'profile %s: its failed session is in the per-profile counts, and nothing global is written',
    (profile) => {
      const report = read(failedSession('s-1', profile, '09'));
      expect(report.sessions).toHaveLength(1);
      expect(Object.prototype.hasOwnProperty.call(report.summary.profiles, profile)).toBe(true);
      expect(report.summary.profiles[profile]).toMatchObject({ sessions: 1, failed: 1 });
      // The counters never land on Object or Object.prototype.
      expect(Object.prototype.hasOwnProperty.call(Object, 'sessions')).toBe(false);
      expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'sessions')).toBe(false);
    },
  );
});

describe('two sessions under one session id', () => {
  it('a failed session followed by a successful one under the same id is still reported as failed', () => {
    const report = read([...failedSession('dup-1', 'payroll', '09'), ...goodSession('dup-1', 'payroll', '10')]);
    const failed = report.sessions.filter((s) => s.outcome === 'failure');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(report.summary.profiles.payroll.failed).toBeGreaterThanOrEqual(1);
  });
});

describe('a log with a long run of NUL bytes (crash mid-append)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-audit-nul-'));
    const file = path.join(dir, 'audit.jsonl');
    writeFileSync(file, failedSession('before-nul', 'payroll', '09').join('\n') + '\n');
    // 700 MiB of NUL bytes without a line end, sparse (no disk space used), then one more session.
    const fd = openSync(file, 'r+');
    try {
      ftruncateSync(fd, fstatSync(fd).size + 700 * 1024 * 1024);
      writeSync(fd, '\n' + goodSession('after-nul', 'payroll', '11').join('\n') + '\n', fstatSync(fd).size);
    } finally {
      closeSync(fd);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is reported as a bad line, the sessions around it are shown, and the exit is not 1', async () => {
    const run = await runBounded(['audit', 'sessions', 'audit.jsonl', '--format', 'json'], {
      cwd: dir,
      boundMs: 90_000,
    });
    expect(run.killed).toBe(false);
    expect(run.stderr).not.toContain('RangeError');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { sessions: Array<{ sessionId: string; outcome: string }> };
    expect(report.sessions.map((s) => [s.sessionId, s.outcome])).toEqual([
      ['before-nul', 'failure'],
      ['after-nul', 'success'],
    ]);
  });
});
