/**
 * Review (batch 2, list-rules.ts): allow/deny entries "compared by meaning" (port ranges, CIDR
 * blocks, pins, fingerprints, globs), shared by resolve, the pairwise merge checks and
 * `policy validate`. The module's promise: "Where two entries' overlap can't be known without
 * the network (a name glob and an address block), they are taken to overlap: the set check
 * never calls a sound set contradictory."
 *
 * Found:
 *  - Host globs are intersected by their TEXT (globsIntersect(a, b)), not by the canonical
 *    form they match with (parseHostPattern drops the root label's trailing dot): allow lists
 *    `ftp.corp.example.` and `ftp.corp.example` (or `*.corp.example.`) "have no name in common",
 *    a contradiction that refuses the very host both allow.
 *  - Fingerprints: the pairwise check knows `AB:CD:…` = `abcd…` (sameFingerprint), the set-wide
 *    check in check-policy-set.ts (commonAllowed -> commonName) compares text, so `policy
 *    validate` calls two allow lists holding the same fingerprint contradictory while resolve
 *    allows the session. And an allow glob written with colons (`AB:AB:*`) refuses the same
 *    fingerprint written as 64 hex digits (a spelling the profile schema accepts).
 *  - A mandatory host name against an address-block allow list is a contradiction (every
 *    session refused), although the same name as a profile value is allowed and checked on the
 *    address dialed: the mandatory check does not take name-vs-block as "overlapping".
 *  - Contradictions that slip through `policy validate` while resolve refuses every session:
 *    deny `*` over allow `10.0.0.0/8` (ruleCovers: "a name glob never covers an address block",
 *    but `*` matches every host); two pin allow lists that differ in case (pins compare exactly,
 *    the set checks compare them as case-insensitive globs).
 */
import type { Policy } from '../../src/policy/policy';
import { emptyPolicySet } from '../../src/policy/policy-set';
import { parsePolicyText } from '../../src/policy/parse-policy';
import { checkPolicySet } from '../../src/resolve/check-policy-set';
import { resolveProfile } from '../../src/resolve/resolve-profile';
import type { SessionProfile } from '../../src/settings/generated/session-profile';
import { policyDocument } from '../helpers/policy-folder';

function policy(name: string, body: string): Policy {
  const parsed = parsePolicyText(policyDocument(name, body), `/etc/ftpsctl/policies/${name}.xml`);
  if (!parsed.policy) throw new Error(`${name}: ${JSON.stringify(parsed.problems)}`);
  return parsed.policy;
}

const list = (path: string, enforce: string, values: string[]): string =>
  `<setting path="${path}" enforce="${enforce}">${values.map((v) => `<value>${v}</value>`).join('')}</setting>`;

const PROFILE: SessionProfile = { name: 'payroll', host: 'ftp.corp.example', user: 'alice', password: { env: 'PW' } };
const resolve = (raw: SessionProfile, policies: Policy[]) => resolveProfile({ raw }, { ...emptyPolicySet(), policies });

const HEX = 'ab'.repeat(32);
const COLONS = HEX.toUpperCase().match(/../g)!.join(':');

describe('a sound set is not called contradictory', () => {
  it.each([['ftp.corp.example.'], ['*.corp.example.']])(
    'allow lists %s and ftp.corp.example both allow ftp.corp.example',
    (spelled) => {
      const policies = [
        policy('dotted', list('host', 'allow', [spelled])),
        policy('plain', list('host', 'allow', ['ftp.corp.example'])),
      ];
      expect(checkPolicySet(policies).contradictions).toEqual([]);
      const resolution = resolve(PROFILE, policies);
      expect(resolution.violations).toEqual([]);
      expect(resolution.decision).toBe('allow');
    },
  );

  it('two allow lists holding the same fingerprint in its two spellings: validate agrees with resolve', () => {
    const policies = [
      policy('colons', list('tls.pki.pinnedSha256', 'allow', [COLONS])),
      policy('digits', list('tls.pki.pinnedSha256', 'allow', [HEX])),
    ];
    expect(resolve({ ...PROFILE, tls: { pki: { pinnedSha256: [HEX] } } }, policies).decision).toBe('allow');
    expect(checkPolicySet(policies).contradictions).toEqual([]);
  });

  it('a mandatory host name and an address-block allow list: decided on the address dialed, as for a profile value', () => {
    const allow = policy('internal', list('host', 'allow', ['10.0.0.0/8']));
    // The same name from the profile: allowed now, its address checked when dialed.
    const fromProfile = resolve(PROFILE, [allow]);
    expect(fromProfile.decision).toBe('allow');
    expect(fromProfile.dialRules?.allow).toEqual([expect.objectContaining({ patterns: ['10.0.0.0/8'] })]);
    // Forced by a policy: must not be "not in the allow list" before any address is known.
    const policies = [policy('force', '<setting path="host" enforce="mandatory">ftp.corp.example</setting>'), allow];
    expect(checkPolicySet(policies).contradictions).toEqual([]);
    expect(resolve(PROFILE, policies).decision).toBe('allow');
  });
});

describe('a fingerprint allow glob matches the fingerprint in either spelling', () => {
  it('AB:AB:* allows abab… (64 hex digits) as it allows AB:AB:…', () => {
    const policies = [policy('vendor', list('tls.pki.pinnedSha256', 'allow', ['AB:AB:*']))];
    expect(resolve({ ...PROFILE, tls: { pki: { pinnedSha256: [COLONS] } } }, policies).decision).toBe('allow');
    expect(resolve({ ...PROFILE, tls: { pki: { pinnedSha256: [HEX] } } }, policies).decision).toBe('allow');
  });
});

describe('`policy validate` reports a set that refuses every session', () => {
  it.each([
    [
      'deny * over an address-block allow list',
      [policy('internal', list('host', 'allow', ['10.0.0.0/8'])), policy('nothing', list('host', 'deny', ['*']))],
      { ...PROFILE, host: '10.1.2.3' },
      /host/,
    ],
    [
      'two pin allow lists that differ only in case (pins compare exactly)',
      [
        policy('upper', list('tls.pki.pinnedPublicKeySha256', 'allow', [`sha256//${'A'.repeat(43)}=`])),
        policy('lower', list('tls.pki.pinnedPublicKeySha256', 'allow', [`sha256//${'a'.repeat(43)}=`])),
      ],
      { ...PROFILE, tls: { pki: { pinnedPublicKeySha256: [`sha256//${'A'.repeat(43)}=`] } } },
      /pinnedPublicKeySha256/,
    ],
  ] as const)('%s', (_what, policies, profile, path) => {
    expect(resolve(profile as SessionProfile, [...policies]).decision).toBe('refuse');
    expect(checkPolicySet([...policies]).contradictions).toEqual([
      expect.objectContaining({ message: expect.stringMatching(path) }),
    ]);
  });
});
