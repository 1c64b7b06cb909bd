/**
 * Review (policy XML): the set checks of allow and deny lists whose values are not plain
 * globs (port ranges `1000-2000`, CIDR blocks `10.0.0.0/8`) and of mandatory values that are
 * not strings (a port, a list of pins).
 *
 * The promise (DESIGN "Group policy files"): "Constraints ignore rank: ... allow lists
 * intersect, deny lists unite, deny beats allow. Contradictions refuse the session ... and
 * `policy validate` reports them for the whole set: ... a mandatory value outside another
 * policy's floor/ceiling/allow list, an empty allow list".
 *
 * Found (merge-policy-layers.ts findContradictions):
 *  - Two allow lists are intersected with globsIntersect, which compares the TEXT of
 *    `1000-2000` and `1500`, or of `10.0.0.0/8` and `10.1.0.0/16`: "no name in common, so
 *    nothing is allowed". The contradiction refuses a session that both lists allow
 *    (port 1500, host 10.1.2.3), and `policy validate` rejects a sound set.
 *  - The mandatory-value checks run only for string values: a mandatory port outside a port
 *    allow list, a mandatory port inside a denied range, mandatory pins outside a pin allow list
 *    and a deny range that covers the whole allow list all refuse every session at resolve time,
 *    while `policy validate` (checkPolicySet) says the set is fine.
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

describe('two allow lists that share values are not "nothing is allowed"', () => {
  it('port ranges: 1000-2000 and 1500 both allow port 1500', () => {
    const policies = [
      policy('range', list('port', 'allow', ['1000-2000'])),
      policy('one', list('port', 'allow', ['1500'])),
    ];
    expect(checkPolicySet(policies).contradictions).toEqual([]);
    const resolution = resolve({ ...PROFILE, port: 1500 }, policies);
    expect(resolution.violations).toEqual([]);
    expect(resolution.decision).toBe('allow');
  });

  it('CIDR blocks: 10.0.0.0/8 and 10.1.0.0/16 both allow host 10.1.2.3', () => {
    const policies = [
      policy('wide', list('host', 'allow', ['10.0.0.0/8'])),
      policy('narrow', list('host', 'allow', ['10.1.0.0/16'])),
    ];
    expect(checkPolicySet(policies).contradictions).toEqual([]);
    const resolution = resolve({ ...PROFILE, host: '10.1.2.3' }, policies);
    expect(resolution.violations).toEqual([]);
    expect(resolution.decision).toBe('allow');
  });
});

describe('`policy validate` reports what refuses every session, not only for string values', () => {
  const pin = `AB:CD:${'EF:'.repeat(29)}01`;
  it.each([
    [
      'a mandatory port outside a port allow list',
      [
        policy('force', '<setting path="port" enforce="mandatory">2121</setting>'),
        policy('only21', list('port', 'allow', ['21'])),
      ],
      /port/,
    ],
    [
      'a mandatory port inside a denied port range',
      [
        policy('force', '<setting path="port" enforce="mandatory">2121</setting>'),
        policy('noalt', list('port', 'deny', ['2000-3000'])),
      ],
      /port/,
    ],
    [
      'mandatory pins outside a pin allow list',
      [
        policy('pins', list('tls.pki.pinnedSha256', 'mandatory', [pin])),
        policy('allowed', list('tls.pki.pinnedSha256', 'allow', ['00:*'])),
      ],
      /pinnedSha256/,
    ],
    [
      'a denied port range that covers the whole allow list',
      [policy('only21', list('port', 'allow', ['21'])), policy('lowports', list('port', 'deny', ['1-100']))],
      /port/,
    ],
  ] as const)('%s', (_what, policies, path) => {
    // Every session is refused...
    const resolution = resolve({ ...PROFILE, tls: { pki: { pinnedSha256: [pin] } } }, [...policies]);
    expect(resolution.decision).toBe('refuse');
    // ... and validate, which promises to report such a set, must say so.
    expect(checkPolicySet(policies).contradictions).toEqual([
      expect.objectContaining({ message: expect.stringMatching(path) }),
    ]);
  });
});
