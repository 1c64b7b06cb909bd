import { sampleAuditReport } from '../../test/audit/audit-report-fixture';
import { renderAuditTable } from './render-audit-table';

describe('renderAuditTable', () => {
  it('shows one row per profile, the summary line and unusable policy files', () => {
    expect(renderAuditTable(sampleAuditReport())).toBe(
      [
        'profile  file                   decision  changed by policy                   violations',
        '-------  ---------------------  --------  ----------------------------------  -----------------------------------------------------------------------------------',
        'payroll  profiles/payroll.json  allow     tls.minVersion raised; 1 applied    0',
        'vendor   profiles/vendor.json   refuse    tls.clearCommandChannel overridden  1: host drop.vendor.example.net is not allowed by policy corp (policies/corp.xml:9)',
        '-        profiles/broken.json   invalid   none                                1: profiles/broken.json:1:1 /host missing required key "host"',
        '',
        '3 profiles: 1 allowed, 1 refused, 1 invalid; 2 changed by policy',
        'unusable policy file: policies/zz-broken.xml:4:12 unknown setting path "tls.fipMode"; did you mean "tls.fipsMode"?',
        '',
      ].join('\n'),
    );
  });

  it('says "1 profile" for one', () => {
    const report = sampleAuditReport();
    report.profiles = report.profiles.slice(0, 1);
    report.policyFiles = report.policyFiles.slice(0, 1);
    report.summary = { profiles: 1, allowed: 1, refused: 0, invalid: 0, changedByPolicy: 1 };
    expect(renderAuditTable(report).split('\n').slice(-2)).toEqual([
      '1 profile: 1 allowed, 0 refused, 0 invalid; 1 changed by policy',
      '',
    ]);
  });
});
