import type { Policy } from './policy';
import { profileScopeWarnings } from './profile-scope-warnings';

const policy = (appliesTo: Policy['appliesTo'], enforce: Policy['settings'][number]['enforce']): Policy => ({
  name: 'p',
  scope: 'machine',
  priority: 1,
  appliesTo,
  settings: [{ path: 'tls.fipsMode', enforce, value: true, line: 3, column: 4 }],
  file: 'p.xml',
  line: 1,
  column: 2,
  sha256: '0'.repeat(64),
});

describe('profile-name scope warnings', () => {
  it.each(['mandatory', 'floor', 'ceiling', 'allow', 'deny'] as const)(
    'warns for a %s scoped only by profile name',
    (enforce) => {
      expect(profileScopeWarnings([policy({ profiles: ['finance-*'], hosts: [] }, enforce)])).toEqual([
        expect.stringContaining('p.xml:1:2 policy p enforces tls.fipsMode'),
      ]);
    },
  );

  it('warns when a profile glob narrows a host scope: the name still decides', () => {
    expect(profileScopeWarnings([policy({ profiles: ['fips-*'], hosts: ['*.agency.example'] }, 'mandatory')])).toEqual([
      expect.stringContaining(
        'only for profiles named fips-* on hosts *.agency.example; a user who renames the profile escapes it on those hosts',
      ),
    ]);
  });

  it.each([
    ['a host scope only', { profiles: [], hosts: ['*.bank.example'] }, 'mandatory'],
    ['every profile', { profiles: ['*'], hosts: [] }, 'mandatory'],
    ['no appliesTo', { profiles: [], hosts: [] }, 'mandatory'],
    ['only a recommendation', { profiles: ['finance-*'], hosts: [] }, 'recommended'],
  ] as const)('is quiet with %s', (_label, appliesTo, enforce) => {
    expect(
      profileScopeWarnings([policy({ profiles: [...appliesTo.profiles], hosts: [...appliesTo.hosts] }, enforce)]),
    ).toEqual([]);
  });
});
