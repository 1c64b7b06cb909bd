/**
 * A small hand-built AuditReport for the renderer tests: one allowed profile with a raised
 * value and a conflict, one refused profile, one invalid file, one unusable policy file.
 */
import type { AuditReport } from '../../src/audit/audit-report';
import type { Resolution } from '../../src/resolve/resolution';

const CORP = { policy: 'corp', file: 'policies/corp.xml' };

export function payrollResolution(name = 'payroll'): Resolution {
  return {
    profile: name,
    profileFile: 'profiles/payroll.json',
    decision: 'allow',
    settings: {
      host: {
        value: 'ftp.corp.example',
        source: 'profile',
        status: 'kept',
        constraints: [{ ...CORP, line: 9, column: 3, enforce: 'allow', value: ['*.corp.example'] }],
      },
      'tls.enabled': {
        value: true,
        source: 'policy',
        status: 'applied',
        ...CORP,
        line: 5,
        column: 3,
        enforce: 'mandatory',
      },
      'tls.minVersion': {
        value: 'TLSv1.3',
        source: 'policy',
        status: 'raised',
        ...CORP,
        line: 6,
        column: 3,
        enforce: 'floor',
        profileValue: 'TLSv1.2',
        conflicts: [
          {
            value: 'TLSv1.2',
            policy: 'team',
            file: 'policies/team.xml',
            line: 4,
            column: 3,
            enforce: 'mandatory',
            type: 'override',
          },
        ],
      },
      'tls.clearCommandChannel': { value: false, source: 'default', status: 'default' },
      'proxy.host': { value: undefined, source: 'default', status: 'default' },
    },
    violations: [],
    conflicts: [],
    warnings: [],
    policies: [{ name: 'corp', file: 'policies/corp.xml', sha256: 'a'.repeat(64), scope: 'machine', priority: 100 }],
  };
}

export function vendorResolution(): Resolution {
  return {
    profile: 'vendor',
    profileFile: 'profiles/vendor.json',
    decision: 'refuse',
    settings: {
      host: { value: 'drop.vendor.example.net', source: 'profile', status: 'profile' },
      'tls.enabled': {
        value: true,
        source: 'profile',
        status: 'kept',
        ...CORP,
        line: 5,
        column: 3,
        enforce: 'mandatory',
      },
      'tls.minVersion': { value: 'TLSv1.2', source: 'profile', status: 'kept' },
      'tls.clearCommandChannel': {
        value: false,
        source: 'policy',
        status: 'overridden',
        ...CORP,
        line: 7,
        column: 3,
        enforce: 'mandatory',
        profileValue: true,
      },
      'proxy.host': { value: undefined, source: 'default', status: 'default' },
    },
    violations: [
      {
        path: 'host',
        policy: 'corp',
        file: 'policies/corp.xml',
        line: 9,
        column: 3,
        message: 'host drop.vendor.example.net is not allowed by policy corp (policies/corp.xml:9)',
      },
    ],
    conflicts: [],
    warnings: [],
    policies: [{ name: 'corp', file: 'policies/corp.xml', sha256: 'a'.repeat(64), scope: 'machine', priority: 100 }],
  };
}

export function sampleAuditReport(): AuditReport {
  return {
    generatedAt: '2025-01-02T03:04:05.000Z',
    profilesDir: 'profiles',
    policiesDir: 'policies',
    policyFiles: [
      { file: 'policies/corp.xml', sha256: 'a'.repeat(64), policy: 'corp', problems: [] },
      {
        file: 'policies/zz-broken.xml',
        problems: ['policies/zz-broken.xml:4:12 unknown setting path "tls.fipMode"; did you mean "tls.fipsMode"?'],
      },
    ],
    profiles: [
      { file: 'profiles/payroll.json', resolution: payrollResolution() },
      { file: 'profiles/vendor.json', resolution: vendorResolution() },
      {
        file: 'profiles/broken.json',
        error: {
          code: 'FTPSCTL_ERR_PROFILE_INVALID',
          message: 'profiles/broken.json:1:1 /host missing required key "host"',
        },
      },
    ],
    summary: { profiles: 3, allowed: 1, refused: 1, invalid: 1, changedByPolicy: 2 },
  };
}
