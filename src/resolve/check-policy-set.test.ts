import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkPolicySet } from './check-policy-set';
import { parsePolicyText } from '../policy/parse-policy';
import type { Policy } from '../policy/policy';

function policy(file: string, header: string, body: string): Policy {
  const parsed = parsePolicyText(`<policy xmlns="urn:ftpsctl:policy:1" ${header}>\n${body}\n</policy>\n`, file);
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.problems));
  return parsed.policy;
}

describe('checkPolicySet', () => {
  it('finds a floor above a ceiling across two files', () => {
    const floor = policy(
      'a.xml',
      'name="a" scope="machine" priority="1"',
      '<setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>',
    );
    const ceiling = policy(
      'b.xml',
      'name="b" scope="user" priority="1"',
      '<setting path="tls.minVersion" enforce="ceiling">TLSv1.2</setting>',
    );
    expect(checkPolicySet([floor, ceiling]).contradictions).toEqual([
      {
        file: 'a.xml',
        line: 2,
        column: 1,
        message:
          'tls.minVersion: the floor TLSv1.3 of policy a (a.xml:2) is above the ceiling TLSv1.2 of policy b (b.xml:2); no value satisfies both',
      },
    ]);
  });

  it('names both files of an equal-rank contradiction', () => {
    const a = policy(
      'a.xml',
      'name="a" scope="machine" priority="5"',
      '<setting path="network.nat" enforce="mandatory">true</setting>',
    );
    const b = policy(
      'b.xml',
      'name="b" scope="machine" priority="5"',
      '<setting path="network.nat" enforce="mandatory">false</setting>',
    );
    const { contradictions } = checkPolicySet([a, b]);
    expect(contradictions.map((c) => c.message)).toEqual([
      'network.nat: policy a (a.xml:2) and policy b (b.xml:2) have equal rank (machine scope, priority 5) and make it mandatory with different values (true and false); give one a higher priority or make them agree',
    ]);
  });

  it('reports an equal-rank tie on an ordered setting as a conflict, not a contradiction', () => {
    const a = policy(
      'a.xml',
      'name="a" scope="machine" priority="5"',
      '<setting path="tls.minVersion" enforce="mandatory">TLSv1.2</setting>',
    );
    const b = policy(
      'b.xml',
      'name="b" scope="machine" priority="5"',
      '<setting path="tls.minVersion" enforce="mandatory">TLSv1.3</setting>',
    );
    const check = checkPolicySet([a, b]);
    expect(check.contradictions).toEqual([]);
    expect(check.conflicts.map((c) => c.value)).toEqual(['TLSv1.3']);
  });

  it('ignores policies that can never apply to the same session', () => {
    const a = policy(
      'a.xml',
      'name="a" scope="machine" priority="5"',
      '<appliesTo><host>*.corp.example</host></appliesTo><setting path="network.nat" enforce="mandatory">true</setting>',
    );
    const b = policy(
      'b.xml',
      'name="b" scope="machine" priority="5"',
      '<appliesTo><host>*.bank.example</host></appliesTo><setting path="network.nat" enforce="mandatory">false</setting>',
    );
    expect(checkPolicySet([a, b]).contradictions).toEqual([]);
  });

  it('finds an invariant that policies alone break (mandatory FIPS with mandatory validation off)', () => {
    const a = policy(
      'a.xml',
      'name="fips" scope="machine" priority="5"',
      '<setting path="tls.fipsMode" enforce="mandatory">true</setting>',
    );
    const b = policy(
      'b.xml',
      'name="lax" scope="user" priority="5"',
      '<setting path="tls.validateCertificateChain" enforce="mandatory">false</setting>',
    );
    expect(checkPolicySet([a, b]).contradictions.map((c) => c.message)).toContain(
      'tls.fipsMode is true (mandatory in policy fips, a.xml:2) but tls.validateCertificateChain is false (mandatory in policy lax, b.xml:2): FIPS mode always validates the certificate chain; remove "validateCertificateChain": false (policies fips + lax together)',
    );
  });

  it('does not blame policies for what a profile can still supply (a CRL floor needs CRL files from the profile)', () => {
    const a = policy(
      'a.xml',
      'name="crl" scope="machine" priority="5"',
      '<setting path="tls.pki.revocation" enforce="floor">crl</setting>',
    );
    expect(checkPolicySet([a]).contradictions).toEqual([]);
  });

  it('finds a TLS floor above a TLS ceiling on the other end of the range', () => {
    const a = policy(
      'a.xml',
      'name="a" scope="machine" priority="5"',
      '<setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>',
    );
    const b = policy(
      'b.xml',
      'name="b" scope="machine" priority="5"',
      '<setting path="tls.maxVersion" enforce="ceiling">TLSv1.2</setting>',
    );
    expect(checkPolicySet([a, b]).contradictions.map((c) => c.file)).toEqual(['b.xml']);
  });
});

describe('checkPolicySet: combinations, not only pairs (issues 10 and 12)', () => {
  const hostAllow = (name: string, globs: string[], appliesTo = ''): Policy =>
    policy(
      `${name}.xml`,
      `name="${name}" scope="machine" priority="5"`,
      `${appliesTo}<setting path="host" enforce="allow">${globs.map((g) => `<value>${g}</value>`).join('')}</setting>`,
    );

  it('three allow lists that share no name, though every two of them do', () => {
    const set = [hostAllow('a', ['a.*', 'b.*']), hostAllow('b', ['b.*', 'c.*']), hostAllow('c', ['a.*', 'c.*'])];
    expect(checkPolicySet(set.slice(0, 2)).contradictions).toEqual([]);
    expect(checkPolicySet([set[1], set[2]]).contradictions).toEqual([]);
    expect(checkPolicySet([set[0], set[2]]).contradictions).toEqual([]);
    expect(checkPolicySet(set).contradictions).toEqual([
      {
        file: 'a.xml',
        line: 2,
        column: 1,
        message:
          "host: the allow lists of policy a (a.xml:2: a.*, b.*), policy b (b.xml:2: b.*, c.*), policy c (c.xml:2: a.*, c.*) together have no name in common, so nothing is allowed; widen one list or narrow the policies' appliesTo",
      },
    ]);
  });

  it('three allow lists that leave only names a deny list takes out', () => {
    const set = [
      hostAllow('a', ['*.example']),
      hostAllow('b', ['ftp*']),
      policy(
        'd.xml',
        'name="d" scope="user" priority="1"',
        '<setting path="host" enforce="deny"><value>ftp*.example</value></setting>',
      ),
    ];
    expect(checkPolicySet(set).contradictions.map((c) => c.message)).toEqual([
      "host: the allow lists of policy a (a.xml:2: *.example), policy b (b.xml:2: ftp*) together have no name in common once the deny lists of policy d (d.xml:2: ftp*.example) are taken out, so nothing is allowed; widen one list or narrow the policies' appliesTo",
    ]);
  });

  it('checks a combination only where its scopes can meet: a*, *b and *c* hosts meet only at names like "acb"', () => {
    const scoped = (name: string, glob: string, body: string): Policy =>
      policy(
        `${name}.xml`,
        `name="${name}" scope="machine" priority="5"`,
        `<appliesTo><host>${glob}</host></appliesTo>${body}`,
      );
    const set = [
      scoped('a', 'a*', '<setting path="host" enforce="allow"><value>x*</value><value>y*</value></setting>'),
      scoped('b', '*b', '<setting path="host" enforce="allow"><value>y*</value><value>z*</value></setting>'),
      scoped('c', '*c*', '<setting path="host" enforce="allow"><value>x*</value><value>z*</value></setting>'),
    ];
    expect(checkPolicySet(set).contradictions.map((c) => c.file)).toEqual(['a.xml']);
    // with c scoped to hosts that start with "b", a and c never meet: no session sees all three
    const apart = [
      set[0],
      set[1],
      scoped('c', 'b*c*', '<setting path="host" enforce="allow"><value>x*</value><value>z*</value></setting>'),
    ];
    expect(checkPolicySet(apart).contradictions).toEqual([]);
  });

  it('does not report a pair that never applies without a third policy overriding it', () => {
    // fips + lax contradict, but every session they share also gets "strict" (higher rank), which turns validation on
    const fips = policy(
      'f.xml',
      'name="fips" scope="machine" priority="5"',
      '<appliesTo><host>*.gov.example</host></appliesTo><setting path="tls.fipsMode" enforce="mandatory">true</setting>',
    );
    const lax = policy(
      'l.xml',
      'name="lax" scope="machine" priority="5"',
      '<setting path="tls.validateCertificateChain" enforce="mandatory">false</setting>',
    );
    const strict = policy(
      's.xml',
      'name="strict" scope="machine" priority="50"',
      '<appliesTo><host>*.example</host></appliesTo><setting path="tls.validateCertificateChain" enforce="mandatory">true</setting>',
    );
    expect(checkPolicySet([fips, lax, strict]).contradictions).toEqual([]);
    expect(checkPolicySet([fips, lax]).contradictions.map((c) => c.message)).toEqual([
      expect.stringContaining('(policies fips + lax together)'),
    ]);
  });

  it('10,000 one-setting policies without appliesTo: one merge, every contradiction found, no note', () => {
    const many: Policy[] = Array.from({ length: 10_000 }, (_, i) => ({
      name: `p${i}`,
      scope: 'machine' as const,
      priority: i,
      appliesTo: { profiles: [], hosts: [] },
      settings: [{ path: 'tls.minVersion', enforce: 'floor' as const, value: 'TLSv1.2', line: 2, column: 3 }],
      file: `p${i}.xml`,
      line: 1,
      column: 1,
      sha256: '0'.repeat(64),
    }));
    many[9_999].settings = [{ path: 'tls.minVersion', enforce: 'ceiling', value: 'TLSv1.2', line: 2, column: 3 }];
    many[1_234].settings = [{ path: 'tls.minVersion', enforce: 'floor', value: 'TLSv1.3', line: 2, column: 3 }];
    const check = checkPolicySet(many);
    expect(check.notes).toEqual([]);
    expect(check.contradictions.map((c) => c.message)).toEqual([
      'tls.minVersion: the floor TLSv1.3 of policy p1234 (p1234.xml:2) is above the ceiling TLSv1.2 of policy p9999 (p9999.xml:2); no value satisfies both',
    ]);
  });

  it('5,000 policies each scoped to its own host: each checked alone, none together', () => {
    const scoped = (name: string, host: string, nat: boolean): Policy => ({
      name,
      scope: 'machine',
      priority: 5,
      appliesTo: { profiles: [], hosts: [host] },
      settings: [{ path: 'network.nat', enforce: 'mandatory', value: nat, line: 2, column: 3 }],
      file: `${name}.xml`,
      line: 1,
      column: 1,
      sha256: '0'.repeat(64),
    });
    const many = Array.from({ length: 5_000 }, (_, i) => scoped(`h${i}`, `h${i}.example`, i % 2 === 0));
    const check = checkPolicySet([...many, scoped('all', 'H4999.example', true)]);
    expect(check.notes).toEqual([]);
    expect(check.contradictions.map((c) => c.message)).toEqual([
      expect.stringMatching(/^network\.nat: policy h4999 .* and policy all /),
    ]);
  });

  it('every combination of 6 overlapping scopes (64 real combinations) is checked; 12 (4,096) exceed a small budget and say so', () => {
    const scoped = (count: number): Policy[] =>
      Array.from({ length: count }, (_, i) =>
        policy(
          `s${i}.xml`,
          `name="s${i}" scope="machine" priority="5"`,
          `<appliesTo><host>*${String.fromCharCode(97 + i)}*</host></appliesTo><setting path="host" enforce="allow"><value>*${String.fromCharCode(97 + i)}*</value><value>only-${i}</value></setting>`,
        ),
      );
    expect(checkPolicySet(scoped(6))).toMatchObject({ notes: [], contradictions: [] });
    const check = checkPolicySet(scoped(12), { maxCombinations: 100 });
    expect(check.notes).toEqual([
      expect.stringMatching(
        /^the set check stopped after trying 100 combinations of appliesTo scopes \(12 distinct scopes, \d+ combinations checked\)/,
      ),
    ]);
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
    const has = (name: string, path: string, enforce: string): boolean =>
      byName.get(name)?.settings.some((s) => s.path === path && s.enforce === enforce) ?? false;
    expect(has('corp-baseline', 'tls.minVersion', 'floor')).toBe(true);
    expect(has('corp-baseline', 'tls.validateCertificateChain', 'mandatory')).toBe(true);
    expect(has('corp-baseline', 'tls.encryptDataChannel', 'mandatory')).toBe(true);
    expect(has('corp-baseline', 'tls.clearCommandChannel', 'mandatory')).toBe(true);
    expect(has('fips', 'tls.fipsMode', 'mandatory')).toBe(true);
    expect(has('fips', 'tls.minVersion', 'floor')).toBe(true);
    expect(has('finance', 'proxy.host', 'allow')).toBe(true);
    expect(has('finance', 'proxy.enabled', 'mandatory')).toBe(true);
    expect(byName.get('user-defaults')?.scope).toBe('user');
  });
});
