/**
 * Review (auditor's view): `ftpsctl audit sessions`.
 *
 * - A session whose events are split over two logs (a log rotated while the session ran:
 *   audit.jsonl.1 holds session.start and tls.established, audit.jsonl the transfer and
 *   session.end) is shown `incomplete` with 0 transfers: every event of a session id already
 *   seen in another log is dropped as "a copy", even when it is not in the first log. Nothing
 *   says events were dropped (not a bad line, not counted).
 * - `--since 99999999999999999d` ends with "unexpected error: Invalid time value" (exit 1):
 *   parseTimeBound returns an Invalid Date, which is truthy, so the usage error never fires.
 * - `--since 2026-02-30` is taken as 2026-03-02 (the Date constructor rolls over), silently:
 *   sessions of 1 March are dropped from a report the auditor thinks starts in February.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseTimeBound, SessionLogReader } from '../../src/audit/session-log-summary';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

const base = {
  ftpsctl: { session_id: 'rotated-1', profile: 'payroll', resolution_sha256: 'ab'.repeat(32), managed: true },
  server: { address: '127.0.0.1', port: 21 },
  user: { name: 'alice' },
};
const line = (timestamp: string, event: Record<string, unknown>, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    '@timestamp': timestamp,
    event,
    ...base,
    ...extra,
    ftpsctl: { ...base.ftpsctl, ...((extra.ftpsctl as object) ?? {}) },
  });

const before = [
  line('2026-11-25T09:00:00.000Z', { action: 'session.start', outcome: 'unknown' }),
  line(
    '2026-11-25T09:00:00.100Z',
    { action: 'tls.established', outcome: 'success' },
    { tls: { version: '1.3', cipher: 'TLS_AES_256_GCM_SHA384' }, ftpsctl: { fips: 'off' } },
  ),
];
const after = [
  line(
    '2026-11-25T09:00:05.000Z',
    { action: 'transfer', outcome: 'success', duration: 1_000_000 },
    { ftpsctl: { direction: 'download', bytes: 640000 }, file: { path: 'out/a.csv', size: 640000 } },
  ),
  line('2026-11-25T09:00:05.100Z', { action: 'session.end', outcome: 'success', duration: 5_100_000_000 }),
];

describe('a session split over a rotated log pair', () => {
  it('is joined: success, 1 transfer, 640000 bytes, 4 events (as when read from one log)', () => {
    const whole = new SessionLogReader();
    whole.startFile('audit.jsonl');
    for (const l of [...before, ...after]) whole.add(l);
    const joined = whole.report();
    expect(joined.sessions[0]).toMatchObject({ outcome: 'success', transfers: 1, bytes: 640000 });

    const split = new SessionLogReader();
    split.startFile('audit.jsonl.1');
    for (const l of before) split.add(l);
    split.startFile('audit.jsonl');
    for (const l of after) split.add(l);
    const report = split.report();
    expect(report.summary.events).toBe(4);
    expect(report.sessions[0]).toMatchObject({ outcome: 'success', transfers: 1, bytes: 640000 });
  });
});

describe('--since / --until with odd inputs', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-audit-sessions-'));
    writeFileSync(path.join(dir, 'audit.jsonl'), [...before, ...after].join('\n') + '\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a duration too large for a date is a usage error (exit 2), not "unexpected error" (exit 1)', async () => {
    const run = await runBounded(['audit', 'sessions', 'audit.jsonl', '--since', '99999999999999999d'], { cwd: dir });
    expect(run.stderr).not.toContain('unexpected error');
    expect(run.code).toBe(2);
  });

  it('a day that does not exist (2026-02-30) is refused, not rolled over to 2026-03-02', () => {
    expect(parseTimeBound('2026-02-30')).toBeUndefined();
    expect(parseTimeBound('2026-02-31T10:00Z')).toBeUndefined();
  });

  it('every bound parseTimeBound returns is a valid date', () => {
    const bound = parseTimeBound('99999999999999999d', new Date('2026-11-30T00:00:00Z'));
    expect(bound === undefined || !Number.isNaN(bound.getTime())).toBe(true);
  });
});
