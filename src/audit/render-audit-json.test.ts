import type { AuditReport } from './audit-report';
import { sampleAuditReport } from '../../test/audit/audit-report-fixture';
import { orderAuditReport, renderAuditJson } from './render-audit-json';

const TINY: AuditReport = {
  summary: { refused: 0, profiles: 1, invalid: 1, allowed: 0, changedByPolicy: 0 },
  profiles: [
    { file: 'p/broken.json', error: { message: 'p/broken.json not JSON', code: 'FTPSCTL_ERR_PROFILE_INVALID' } },
  ],
  policyFiles: [],
  policiesDir: '(none)',
  profilesDir: 'p',
  generatedAt: '2025-01-02T03:04:05.000Z',
};

describe('renderAuditJson', () => {
  it('prints the report pretty, keys sorted at every level', () => {
    expect(renderAuditJson(TINY)).toBe(`{
  "generatedAt": "2025-01-02T03:04:05.000Z",
  "policiesDir": "(none)",
  "policyFiles": [],
  "profiles": [
    {
      "error": {
        "code": "FTPSCTL_ERR_PROFILE_INVALID",
        "message": "p/broken.json not JSON"
      },
      "file": "p/broken.json"
    }
  ],
  "profilesDir": "p",
  "summary": {
    "allowed": 0,
    "changedByPolicy": 0,
    "invalid": 1,
    "profiles": 1,
    "refused": 0
  }
}
`);
  });

  it('keeps the data: parsing it back gives the report (without undefined values)', () => {
    const report = sampleAuditReport();
    expect(JSON.parse(renderAuditJson(report))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('gives the same text whatever order the objects were built in', () => {
    const report = sampleAuditReport();
    const reversed = JSON.parse(JSON.stringify(report), (_key, value: unknown) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).reverse())
        : value,
    ) as AuditReport;
    expect(Object.keys(reversed)[0]).toBe('summary');
    expect(renderAuditJson(reversed)).toBe(renderAuditJson(report));
    expect(Object.keys(orderAuditReport(reversed).profiles[0].resolution?.settings ?? {})).toEqual([
      'host',
      'proxy.host',
      'tls.clearCommandChannel',
      'tls.enabled',
      'tls.minVersion',
    ]);
  });
});
