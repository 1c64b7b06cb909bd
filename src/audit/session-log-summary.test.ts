import { summariseSessionLog } from './session-log-summary';

const line = (action: string, profile: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ '@timestamp': '2026-11-25T10:00:00.000Z', event: { action, ...(extra.event as object) }, ftpsctl: { profile, ...(extra.ftpsctl as object) }, ...extra.rest as object });

describe('summariseSessionLog', () => {
  it('counts sessions per profile, TLS versions, ciphers and failures by code', () => {
    const text = [
      line('session.start', 'payroll'),
      line('tls.established', 'payroll', { rest: { tls: { version: '1.3', cipher: 'TLS_AES_256_GCM_SHA384' } }, ftpsctl: { fips: 'off' } }),
      line('transfer', 'payroll', { ftpsctl: { bytes: 100 } }),
      line('session.end', 'payroll', { event: { outcome: 'success' } }),
      line('session.start', 'vendor'),
      line('session.end', 'vendor', { event: { outcome: 'failure' }, rest: { error: { code: 'FTPSCTL_ERR_CERT_EXPIRED' } } }),
      'garbage',
      '{"event":{}}',
      '',
    ].join('\n');
    const summary = summariseSessionLog('audit.jsonl', text);
    expect(summary).toMatchObject({
      events: 6,
      sessions: 2,
      profiles: { payroll: { sessions: 1, succeeded: 1, failed: 0, transfers: 1, bytes: 100 }, vendor: { sessions: 1, succeeded: 0, failed: 1, transfers: 0, bytes: 0 } },
      tlsVersions: { 'TLS 1.3': 1 },
      ciphers: { TLS_AES_256_GCM_SHA384: 1 },
      fips: { off: 1 },
      failuresByCode: { FTPSCTL_ERR_CERT_EXPIRED: 1 },
      badLines: [
        { line: 7, problem: 'not JSON' },
        { line: 8, problem: 'not an ftpsctl audit event (event.action and ftpsctl.profile missing)' },
      ],
    });
  });
});
