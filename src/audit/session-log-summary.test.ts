import { parseTimeBound, SessionLogReader, summariseSessionLog, type SessionFilter } from './session-log-summary';

interface Options {
  id?: string;
  at?: string;
  event?: Record<string, unknown>;
  ftpsctl?: Record<string, unknown>;
  rest?: Record<string, unknown>;
}
const line = (action: string, profile: string, o: Options = {}): string =>
  JSON.stringify({
    '@timestamp': o.at ?? '2026-11-25T10:00:00.000Z',
    event: { action, ...o.event },
    ftpsctl: {
      ...(o.id === undefined ? {} : { session_id: o.id }),
      profile,
      resolution_sha256: 'ab'.repeat(32),
      managed: true,
      ...o.ftpsctl,
    },
    server: { address: '127.0.0.1', port: 2121 },
    user: { name: 'alice' },
    ...o.rest,
  });

/** Two payroll sessions (one ok, one failed), one vendor session refused, one still running. */
function sampleLog(): string {
  return [
    line('session.start', 'payroll', { id: 's1', at: '2026-11-25T10:00:00.000Z' }),
    line('tls.established', 'payroll', {
      id: 's1',
      rest: { tls: { version: '1.3', cipher: 'TLS_AES_256_GCM_SHA384' } },
      ftpsctl: { fips: 'off' },
    }),
    line('transfer', 'payroll', { id: 's1', event: { outcome: 'success' }, ftpsctl: { bytes: 100 } }),
    line('session.end', 'payroll', {
      id: 's1',
      at: '2026-11-25T10:00:02.000Z',
      event: { outcome: 'success', duration: 2_000_000_000 },
    }),
    line('session.start', 'payroll', { id: 's2', at: '2026-11-26T09:00:00.000Z' }),
    line('transfer', 'payroll', {
      id: 's2',
      at: '2026-11-26T09:00:00.500Z',
      event: { outcome: 'failure' },
      ftpsctl: { bytes: 0 },
    }),
    line('session.end', 'payroll', {
      id: 's2',
      at: '2026-11-26T09:00:01.000Z',
      event: { outcome: 'failure' },
      rest: { error: { code: 'FTPSCTL_ERR_TRANSFER' } },
    }),
    line('session.refused', 'vendor', {
      id: 's3',
      at: '2026-11-27T08:00:00.000Z',
      event: { outcome: 'failure', reason: 'host denied' },
      ftpsctl: { refused_by: { policy: 'corp', file: '/etc/ftpsctl/policies/corp.xml' } },
      rest: { error: { code: 'FTPSCTL_ERR_REFUSED_BY_POLICY' } },
    }),
    line('session.start', 'ops', { id: 's4', at: '2026-11-27T09:00:00.000Z' }),
    'garbage',
    '{"event":{}}',
    line('session.cancelled', 'ops', { id: 's4', at: '2026-11-27T09:00:01.000Z' }),
    '',
  ].join('\n');
}

describe('SessionLogReader', () => {
  it('joins events into sessions, one record each, with outcome, TLS, transfers, duration and the refusal', () => {
    const report = summariseSessionLog('audit.jsonl', sampleLog());
    expect(report.sessions.map((s) => [s.sessionId, s.profile, s.outcome])).toEqual([
      ['s1', 'payroll', 'success'],
      ['s2', 'payroll', 'failure'],
      ['s3', 'vendor', 'refused'],
      ['s4', 'ops', 'incomplete'],
    ]);
    expect(report.sessions[0]).toMatchObject({
      start: '2026-11-25T10:00:00.000Z',
      end: '2026-11-25T10:00:02.000Z',
      durationMs: 2000,
      server: '127.0.0.1:2121',
      user: 'alice',
      tlsVersion: '1.3',
      cipher: 'TLS_AES_256_GCM_SHA384',
      fips: 'off',
      transfers: 1,
      bytes: 100,
      managed: true,
      log: 'audit.jsonl',
      line: 1,
    });
    expect(report.sessions[1]).toMatchObject({ failedTransfers: 1, errorCode: 'FTPSCTL_ERR_TRANSFER' });
    expect(report.sessions[2]).toMatchObject({
      reason: 'host denied',
      refusedBy: { policy: 'corp', file: '/etc/ftpsctl/policies/corp.xml' },
      errorCode: 'FTPSCTL_ERR_REFUSED_BY_POLICY',
    });
    expect(report.summary).toMatchObject({
      files: ['audit.jsonl'],
      events: 9,
      sessions: 4,
      first: '2026-11-25T10:00:00.000Z',
      last: '2026-11-27T09:00:00.000Z',
      profiles: {
        payroll: { sessions: 2, succeeded: 1, failed: 1, refused: 0, transfers: 2, bytes: 100 },
        vendor: { sessions: 1, refused: 1 },
        ops: { sessions: 1, succeeded: 0, failed: 0 },
      },
      tlsVersions: { 'TLS 1.3': 1 },
      failuresByCode: { FTPSCTL_ERR_TRANSFER: 1, FTPSCTL_ERR_REFUSED_BY_POLICY: 1 },
      badLines: [
        { file: 'audit.jsonl', line: 10, problem: 'not JSON' },
        {
          file: 'audit.jsonl',
          line: 11,
          problem: 'not an ftpsctl audit event (event.action and ftpsctl.profile missing)',
        },
        { file: 'audit.jsonl', line: 12, problem: 'unknown event.action "session.cancelled"' },
      ],
    });
  });

  it.each<[string, SessionFilter, string[]]>([
    ['profile glob', { profiles: ['pay*'] }, ['s1', 's2']],
    ['two profiles', { profiles: ['vendor', 'ops'] }, ['s3', 's4']],
    ['outcome', { outcomes: ['failure', 'refused'] }, ['s2', 's3']],
    ['since (inclusive)', { since: new Date('2026-11-26T09:00:00Z') }, ['s2', 's3', 's4']],
    ['until (exclusive)', { until: new Date('2026-11-26T09:00:00Z') }, ['s1']],
    [
      'all together',
      {
        profiles: ['*'],
        outcomes: ['success', 'failure'],
        since: new Date('2026-11-25T00:00:00Z'),
        until: new Date('2026-11-27T00:00:00Z'),
      },
      ['s1', 's2'],
    ],
  ])('filters by %s, and the counts follow the filter', (_name, filter, ids) => {
    const report = summariseSessionLog('audit.jsonl', sampleLog(), filter);
    expect(report.sessions.map((s) => s.sessionId)).toEqual(ids);
    expect(report.summary.sessions).toBe(ids.length);
    expect(Object.values(report.summary.profiles).reduce((n, p) => n + p.sessions, 0)).toBe(ids.length);
  });

  it('reads several logs; a session written to two logs counts once; bad lines name their log', () => {
    const reader = new SessionLogReader();
    reader.startFile('a.jsonl');
    for (const l of sampleLog().split('\n').slice(0, 4)) reader.add(l);
    reader.startFile('b.jsonl');
    for (const l of sampleLog().split('\n').slice(0, 7)) reader.add(l);
    reader.add('not json');
    const report = reader.report();
    expect(report.sessions.map((s) => [s.sessionId, s.log, s.transfers])).toEqual([
      ['s1', 'a.jsonl', 1],
      ['s2', 'b.jsonl', 1],
    ]);
    expect(report.summary.files).toEqual(['a.jsonl', 'b.jsonl']);
    expect(report.summary.events).toBe(7);
    expect(report.summary.badLines).toEqual([{ file: 'b.jsonl', line: 8, problem: 'not JSON' }]);
  });

  it('events without a session id (older logs) are grouped by session.start per profile', () => {
    const text = [
      line('session.start', 'a'),
      line('session.start', 'b'),
      line('transfer', 'a', { ftpsctl: { bytes: 5 } }),
      line('session.end', 'a', { event: { outcome: 'success' } }),
      line('session.end', 'b', { event: { outcome: 'failure' } }),
    ].join('\n');
    const report = summariseSessionLog('old.jsonl', text);
    expect(report.sessions.map((s) => [s.profile, s.outcome, s.bytes])).toEqual([
      ['a', 'success', 5],
      ['b', 'failure', 0],
    ]);
  });
});

describe('parseTimeBound', () => {
  const now = new Date('2026-11-30T12:00:00Z');
  it.each([
    ['2026-11-25', '2026-11-25T00:00:00.000Z'],
    ['2026-11-25T10:30', '2026-11-25T10:30:00.000Z'],
    ['2026-11-25T10:30:05Z', '2026-11-25T10:30:05.000Z'],
    ['2026-11-25T10:30:05+02:00', '2026-11-25T08:30:05.000Z'],
    ['30m', '2026-11-30T11:30:00.000Z'],
    ['12h', '2026-11-30T00:00:00.000Z'],
    ['7d', '2026-11-23T12:00:00.000Z'],
    ['2w', '2026-11-16T12:00:00.000Z'],
  ])('%s is %s', (text, iso) => {
    expect(parseTimeBound(text, now)?.toISOString()).toBe(iso);
  });
  it.each(['yesterday', '2026-13-01', '7', '7y', '', '2026-11-25T25:00'])('%j is not a time', (text) => {
    expect(parseTimeBound(text, now)).toBeUndefined();
  });
});
