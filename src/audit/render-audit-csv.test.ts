import { payrollResolution, sampleAuditReport } from '../../test/audit/audit-report-fixture';
import { csvField, renderAuditCsv } from './render-audit-csv';

describe('renderAuditCsv', () => {
  it('writes RFC 4180 rows with CRLF, quoting fields that need it', () => {
    expect(renderAuditCsv(sampleAuditReport())).toBe(
      'profile,file,decision,changed_count,changed_settings,violation_count,violations\r\n' +
        'payroll,profiles/payroll.json,allow,2,tls.enabled applied; tls.minVersion raised,0,\r\n' +
        'vendor,profiles/vendor.json,refuse,1,tls.clearCommandChannel overridden,1,host drop.vendor.example.net is not allowed by policy corp (policies/corp.xml:9)\r\n' +
        ',profiles/broken.json,invalid,0,,1,"profiles/broken.json:1:1 /host missing required key ""host"""\r\n',
    );
  });

  it('puts several violations in one quoted field, one per line', () => {
    const report = sampleAuditReport();
    const resolution = payrollResolution();
    resolution.decision = 'refuse';
    resolution.violations = [
      { path: 'host', message: 'first, with a comma' },
      { path: 'tls.minVersion', message: 'second' },
    ];
    report.profiles = [{ file: 'p.json', resolution }];
    expect(renderAuditCsv(report).split('\r\n')[1]).toBe(
      'payroll,p.json,refuse,2,tls.enabled applied; tls.minVersion raised,2,"first, with a comma\nsecond"',
    );
  });

  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['a=1', 'a=1'],
    ['payroll-2', 'payroll-2'],
  ])('neutralises spreadsheet formulas: %j → %j', (cell, expected) => {
    expect(csvField(cell)).toBe(expected);
  });

  it('neutralises a formula in a profile name', () => {
    const report = sampleAuditReport();
    report.profiles = [{ file: 'p.json', resolution: payrollResolution('=cmd|"/c calc"!A1') }];
    expect(renderAuditCsv(report).split('\r\n')[1]).toMatch(/^"'=cmd\|""\/c calc""!A1",p\.json,allow,/);
  });
});
