import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkPolicySet } from './check-policy-set';
import { parsePolicyText } from './parse-policy';
import type { Policy } from './policy';

function policy(file: string, header: string, body: string): Policy {
  const parsed = parsePolicyText(`<policy xmlns="urn:ftpsctl:policy:1" ${header}>\n${body}\n</policy>\n`, file);
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.problems));
  return parsed.policy;
}

describe('checkPolicySet', () => {
  it('finds a floor above a ceiling across two files', () => {
    const floor = policy('a.xml', 'name="a" scope="machine" priority="1"', '<setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>');
    const ceiling = policy('b.xml', 'name="b" scope="user" priority="1"', '<setting path="tls.minVersion" enforce="ceiling">TLSv1.2</setting>');
    expect(checkPolicySet([floor, ceiling]).contradictions).toEqual([
      { file: 'a.xml', line: 2, column: 1, message: 'tls.minVersion: the floor TLSv1.3 of policy a (a.xml:2) is above the ceiling TLSv1.2 of policy b (b.xml:2); no value satisfies both' },
    ]);
  });

  it('names both files of an equal-rank contradiction', () => {
    const a = policy('a.xml', 'name="a" scope="machine" priority="5"', '<setting path="network.nat" enforce="mandatory">true</setting>');
    const b = policy('b.xml', 'name="b" scope="machine" priority="5"', '<setting path="network.nat" enforce="mandatory">false</setting>');
    const { contradictions } = checkPolicySet([a, b]);
    expect(contradictions.map((c) => c.message)).toEqual([
      'network.nat: policy a (a.xml:2) and policy b (b.xml:2) have equal rank (machine scope, priority 5) and make it mandatory with different values (true and false); give one a higher priority or make them agree',
    ]);
  });

  it('reports an equal-rank tie on an ordered setting as a conflict, not a contradiction', () => {
    const a = policy('a.xml', 'name="a" scope="machine" priority="5"', '<setting path="tls.minVersion" enforce="mandatory">TLSv1.2</setting>');
    const b = policy('b.xml', 'name="b" scope="machine" priority="5"', '<setting path="tls.minVersion" enforce="mandatory">TLSv1.3</setting>');
    const check = checkPolicySet([a, b]);
    expect(check.contradictions).toEqual([]);
    expect(check.conflicts.map((c) => c.value)).toEqual(['TLSv1.3']);
  });

  it('ignores policies that can never apply to the same session', () => {
    const a = policy('a.xml', 'name="a" scope="machine" priority="5"', '<appliesTo><host>*.corp.example</host></appliesTo><setting path="network.nat" enforce="mandatory">true</setting>');
    const b = policy('b.xml', 'name="b" scope="machine" priority="5"', '<appliesTo><host>*.bank.example</host></appliesTo><setting path="network.nat" enforce="mandatory">false</setting>');
    expect(checkPolicySet([a, b]).contradictions).toEqual([]);
  });

  it('finds an invariant that policies alone break (mandatory FIPS with mandatory validation off)', () => {
    const a = policy('a.xml', 'name="fips" scope="machine" priority="5"', '<setting path="tls.fipsMode" enforce="mandatory">true</setting>');
    const b = policy('b.xml', 'name="lax" scope="user" priority="5"', '<setting path="tls.validateCertificateChain" enforce="mandatory">false</setting>');
    expect(checkPolicySet([a, b]).contradictions.map((c) => c.message)).toContain(
      'tls.fipsMode is true (mandatory in policy fips, a.xml:2) but tls.validateCertificateChain is false (mandatory in policy lax, b.xml:2): FIPS mode always validates the certificate chain; remove "validateCertificateChain": false (policies fips + lax together)',
    );
  });

  it('does not blame policies for what a profile can still supply (a CRL floor needs CRL files from the profile)', () => {
    const a = policy('a.xml', 'name="crl" scope="machine" priority="5"', '<setting path="tls.pki.revocation" enforce="floor">crl</setting>');
    expect(checkPolicySet([a]).contradictions).toEqual([]);
  });

  it('finds a TLS floor above a TLS ceiling on the other end of the range', () => {
    const a = policy('a.xml', 'name="a" scope="machine" priority="5"', '<setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>');
    const b = policy('b.xml', 'name="b" scope="machine" priority="5"', '<setting path="tls.maxVersion" enforce="ceiling">TLSv1.2</setting>');
    expect(checkPolicySet([a, b]).contradictions.map((c) => c.file)).toEqual(['b.xml']);
  });
});

describe('the shipped example policies', () => {
  it('are valid and free of contradictions', async () => {
    const dir = path.join(__dirname, '../../policies');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.xml')).sort();
    expect(files.length).toBeGreaterThanOrEqual(4);
    const policies = await Promise.all(
      files.map(async (f) => {
        const parsed = parsePolicyText(await readFile(path.join(dir, f), 'utf8'), f);
        expect({ f, problems: parsed.problems }).toEqual({ f, problems: [] });
        return parsed.policy as Policy;
      }),
    );
    expect(checkPolicySet(policies).contradictions).toEqual([]);
    const byName = new Map(policies.map((p) => [p.name, p]));
    const has = (name: string, path: string, enforce: string): boolean => byName.get(name)?.settings.some((s) => s.path === path && s.enforce === enforce) ?? false;
    expect(has('corp-baseline', 'tls.minVersion', 'floor')).toBe(true);
    expect(has('corp-baseline', 'tls.validateCertificateChain', 'mandatory')).toBe(true);
    expect(has('corp-baseline', 'tls.encryptDataChannel', 'mandatory')).toBe(true);
    expect(has('corp-baseline', 'tls.clearCommandChannel', 'mandatory')).toBe(true);
    expect(has('fips', 'tls.fipsMode', 'mandatory')).toBe(true);
    expect(has('fips', 'tls.minVersion', 'floor')).toBe(true);
    expect(has('finance', 'host', 'allow')).toBe(true);
    expect(has('finance', 'proxy.enabled', 'mandatory')).toBe(true);
    expect(byName.get('user-defaults')?.scope).toBe('user');
  });
});
