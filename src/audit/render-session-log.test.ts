import { renderSessionLogCsv, renderSessionLogHtml, renderSessionLogTable } from './render-session-log';
import { summariseSessionLog } from './session-log-summary';

const event = (action: string, id: string, profile: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    '@timestamp': '2026-11-25T10:00:00.000Z',
    event: { action, outcome: action === 'session.end' ? 'success' : undefined },
    ftpsctl: { session_id: id, profile, bytes: 10 },
    server: { address: '127.0.0.1', port: 21 },
    ...extra,
  });

const report = summariseSessionLog(
  'a.jsonl',
  [
    event('session.start', 's1', 'payroll'),
    event('tls.established', 's1', 'payroll', { tls: { version: '1.3', cipher: 'TLS_AES_128_GCM_SHA256' } }),
    event('transfer', 's1', 'payroll'),
    event('session.end', 's1', 'payroll'),
    event('session.refused', 's2', '=cmd|x', {
      event: { action: 'session.refused', outcome: 'failure', reason: 'host, "denied"' },
    }),
    'oops',
  ].join('\n'),
);

describe('session log renderers', () => {
  test('table: one line per session, then the counts, then the bad lines with their log', () => {
    const text = renderSessionLogTable(report);
    const lines = text.split('\n');
    expect(lines[0]).toBe('a.jsonl: 2 sessions, 5 events, 2026-11-25T10:00:00.000Z .. 2026-11-25T10:00:00.000Z');
    expect(
      lines.filter((l) =>
        /^2026-11-25T10:00:00\.000Z +payroll +success +127\.0\.0\.1:21 +TLS 1\.3 +TLS_AES_128_GCM_SHA256 +1 +10 +s1$/.test(
          l,
        ),
      ),
    ).toHaveLength(1);
    expect(text).toMatch(/=cmd\|x +refused +127\.0\.0\.1:21 .*host, "denied" +s2/);
    expect(text).toMatch(/payroll +1 +1 +0 +1 +0 +10 +0\n/);
    expect(text).toContain('a.jsonl line 6: not JSON');
  });

  test('csv: RFC 4180 quoting, CRLF, formulas neutralised, one row per session', () => {
    const csv = renderSessionLogCsv(report);
    const rows = csv.split('\r\n');
    expect(rows[0]).toBe(
      'start,profile,outcome,server,tls,cipher,transfers,bytes,duration_ms,problem,session_id,user,fips,failed_transfers,resolution_sha256,managed,log,line',
    );
    expect(rows).toHaveLength(4); // header, 2 sessions, '' after the last CRLF
    expect(rows[2]).toContain(`'=cmd|x,refused`);
    expect(rows[2]).toContain('"host, ""denied"""');
    expect(rows[3]).toBe('');
  });

  test('html: escapes what logs contain', () => {
    const page = renderSessionLogHtml(summariseSessionLog('<b>.jsonl', event('session.start', '<s>', '<img src=x>')));
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x&gt;');
  });
});
