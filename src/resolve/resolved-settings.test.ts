import { resolvedProfile } from './resolved-settings';
import type { Resolution, ResolvedSetting } from './resolution';

const setting = (value: unknown): ResolvedSetting => ({ value, source: 'profile', status: 'profile' });

function resolution(decision: 'allow' | 'refuse'): Resolution {
  return {
    profile: 'payroll',
    decision,
    settings: {
      name: setting('payroll'),
      host: setting('ftp.example'),
      'tls.minVersion': setting('TLSv1.3'),
      'tls.pki.caFile': setting(undefined),
      'tls.pki.useSystemTrustStore': setting(true),
    },
    violations:
      decision === 'refuse'
        ? [
            {
              path: 'host',
              policy: 'finance',
              file: 'f.xml',
              line: 3,
              message: 'host ftp.example is not in the allow list of finance',
            } as Resolution['violations'][number],
          ]
        : [],
    conflicts: [],
    warnings: [],
    policies: [],
  };
}

describe('resolvedProfile', () => {
  it('nests the dotted settings and leaves unset ones out', () => {
    expect(resolvedProfile(resolution('allow'))).toEqual({
      name: 'payroll',
      host: 'ftp.example',
      tls: { minVersion: 'TLSv1.3', pki: { useSystemTrustStore: true } },
    });
  });
  it('refuses a refused resolution with the violations', () => {
    expect(() => resolvedProfile(resolution('refuse'))).toThrow(
      expect.objectContaining({
        code: 'FTPSCTL_ERR_REFUSED_BY_POLICY',
        message: 'profile "payroll" is refused by policy: host ftp.example is not in the allow list of finance',
      }),
    );
  });
});
