/**
 * tls.pki.pinnedPublicKeySha256 through the policy side: manageable like pinnedSha256
 * (mandatory, recommended, several <value>s), and the resolver's fail-closed rule accepts
 * a pin of either kind for validateCertificateChain false.
 */
import { parsePolicyText } from '../policy/parse-policy';
import { policyCatalog } from '../policy/policy-catalog';
import type { PolicySet } from '../policy/policy-set';
import type { SessionProfile } from '../settings/generated/session-profile';
import { checkInvariants } from './resolution-invariants';
import type { ResolvedSetting } from './resolution';
import { resolveProfile } from './resolve-profile';

const PIN = 'sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=';
const PIN2 = 'sha256//47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const base: SessionProfile = { name: 'appliance', host: '10.20.30.40', user: 'backup', password: { env: 'PW' } };

function policyText(setting: string): string {
  return `<policy xmlns="urn:ftpsctl:policy:1" name="pins" scope="machine" priority="100">\n${setting}\n</policy>\n`;
}

function set(text: string): PolicySet {
  const parsed = parsePolicyText(text, 'pins.xml');
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.problems));
  return { sources: ['test'], policies: [parsed.policy], failures: [], ignored: [], warnings: [] };
}

const empty: PolicySet = { sources: ['test'], policies: [], failures: [], ignored: [], warnings: [] };

describe('tls.pki.pinnedPublicKeySha256 under policy', () => {
  it('is policy-manageable exactly like tls.pki.pinnedSha256', () => {
    const entry = policyCatalog().get('tls.pki.pinnedPublicKeySha256');
    const fingerprints = policyCatalog().get('tls.pki.pinnedSha256');
    expect(entry).toMatchObject({ enforce: fingerprints?.enforce, isList: true });
    expect(entry?.enforce).toEqual(['mandatory', 'recommended', 'allow']); // allow: pins can be allow-listed (issue 10)
  });

  it('reads several pins from <value> elements and refuses a value that is not a curl pin, at its line', () => {
    const parsed = parsePolicyText(
      policyText(
        `  <setting path="tls.pki.pinnedPublicKeySha256" enforce="mandatory"><value>${PIN}</value><value>${PIN2}</value></setting>`,
      ),
      'pins.xml',
    );
    expect(parsed.policy?.settings).toEqual([
      { path: 'tls.pki.pinnedPublicKeySha256', enforce: 'mandatory', value: [PIN, PIN2], line: 2, column: 3 },
    ]);
    const bad = parsePolicyText(
      policyText(
        '  <setting path="tls.pki.pinnedPublicKeySha256" enforce="mandatory"><value>pin-sha256="abc"</value></setting>',
      ),
      'pins.xml',
    );
    expect(bad.policy).toBeUndefined();
    expect(bad.problems.map((p) => [p.line, p.message.includes('sha256// and 44 base64 characters')])).toEqual([
      [2, true],
    ]);
  });

  it('lets a mandatory public key pin authenticate a profile that turns validation off', () => {
    const profile = { ...base, tls: { validateCertificateChain: false } } as SessionProfile;
    expect(resolveProfile({ raw: profile }, empty).decision).toBe('refuse');
    const resolution = resolveProfile(
      { raw: profile },
      set(
        policyText(
          `  <setting path="tls.pki.pinnedPublicKeySha256" enforce="mandatory"><value>${PIN}</value></setting>`,
        ),
      ),
    );
    expect(resolution.decision).toBe('allow');
    expect(resolution.settings['tls.pki.pinnedPublicKeySha256']).toMatchObject({
      value: [PIN],
      source: 'policy',
      status: 'applied',
      policy: 'pins',
      line: 2,
    });
  });
});

describe('resolver invariant: validation off needs a pin of either kind', () => {
  const setting = (value: unknown): ResolvedSetting => ({ value, source: 'profile', status: 'profile' });
  it.each<[string, unknown, unknown, boolean]>([
    ['no pins', undefined, undefined, true],
    ['empty lists', [], [], true],
    ['a certificate fingerprint', ['AB'], undefined, false],
    ['a public key pin', undefined, [PIN], false],
  ])('%s', (_title, fingerprints, keyPins, broken) => {
    const violations = checkInvariants({
      'tls.validateCertificateChain': setting(false),
      'tls.pki.pinnedSha256': setting(fingerprints),
      'tls.pki.pinnedPublicKeySha256': setting(keyPins),
    });
    expect(violations.length > 0).toBe(broken);
    if (broken) {
      expect(violations[0]).toEqual({
        path: 'tls.validateCertificateChain',
        message:
          'tls.validateCertificateChain is false (profile) but tls.pki.pinnedSha256 and tls.pki.pinnedPublicKeySha256 are empty: an unvalidated host must be authenticated by a pin; add a certificate fingerprint (tls.pki.pinnedSha256) or a public key pin (tls.pki.pinnedPublicKeySha256, sha256//BASE64) or turn validation on',
      });
    }
  });
});
