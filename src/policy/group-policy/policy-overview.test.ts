import { parsePolicyText } from '../parse-policy';
import type { Policy } from '../policy';
import type { PolicySet } from '../policy-set';
import { buildPolicyOverview } from './policy-overview';
import { writeRegistryPol, REG_DWORD, REG_SZ } from './registry-pol';
import { registryPolToPolicy } from './registry-policy';

function xmlPolicy(name: string, scope: 'machine' | 'user', priority: number, body: string): Policy {
  const parsed = parsePolicyText(
    `<policy xmlns="urn:ftpsctl:policy:1" name="${name}" scope="${scope}" priority="${priority}">\n${body}\n</policy>\n`,
    `${name}.xml`,
  );
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.problems));
  return parsed.policy;
}

const KEY = 'Software\\Policies\\ftpsctl';
const gpo = registryPolToPolicy(
  writeRegistryPol([
    { key: KEY, valueName: 'transfer.verify', type: REG_SZ, data: 'hash' },
    { key: KEY, valueName: 'tls.fipsMode', type: REG_DWORD, data: 1 },
    { key: `${KEY}\\Floor`, valueName: 'tls.minVersion', type: REG_SZ, data: 'TLSv1.2' },
  ]),
  '/gp/Machine/Registry.pol',
  'machine',
).policy as Policy;

const set = (policies: Policy[]): PolicySet => ({
  sources: ['/etc/ftpsctl/policies'],
  policies,
  failures: [],
  ignored: [],
  warnings: [],
  managed: true,
});

describe('buildPolicyOverview', () => {
  test('merges XML and Registry.pol values: who is active, superseded or overridden, with file:line or registry value', () => {
    const xml = xmlPolicy(
      'corp',
      'machine',
      100,
      '<setting path="transfer.verify" enforce="mandatory">size</setting>\n<setting path="tls.fipsMode" enforce="mandatory">true</setting>\n<setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>',
    );
    const overview = buildPolicyOverview(set([gpo, xml]));
    const row = (policy: string, path: string) => overview.values.find((v) => v.policy === policy && v.path === path);
    expect(row('group-policy-machine', 'transfer.verify')).toMatchObject({
      status: 'active',
      format: 'registry.pol',
      source: '/gp/Machine/Registry.pol: Software\\Policies\\ftpsctl!transfer.verify',
      scope: 'machine',
    });
    expect(row('corp', 'transfer.verify')).toMatchObject({
      status: 'overridden',
      format: 'xml',
      line: 2,
      source: 'corp.xml:2',
      winner: { policy: 'group-policy-machine', value: 'hash' },
    });
    expect(row('corp', 'tls.fipsMode')).toMatchObject({
      status: 'superseded',
      winner: { policy: 'group-policy-machine', value: true },
    });
    expect(row('corp', 'tls.minVersion')).toMatchObject({ status: 'constraint', enforce: 'floor', value: 'TLSv1.3' });
    expect(row('group-policy-machine', 'tls.minVersion')).toMatchObject({
      status: 'constraint',
      registryValue: 'Software\\Policies\\ftpsctl\\Floor!tls.minVersion',
    });
    expect(overview.conflicts).toEqual([]);
  });

  test('equal-rank values that differ are a conflict; policies for disjoint profiles do not conflict', () => {
    const a = xmlPolicy('a', 'user', 5, '<setting path="transfer.verify" enforce="mandatory">size</setting>');
    const b = xmlPolicy('b', 'user', 5, '<setting path="transfer.verify" enforce="mandatory">hash</setting>');
    const c = xmlPolicy(
      'c',
      'user',
      5,
      '<appliesTo><profile>other-*</profile></appliesTo>\n<setting path="transfer.parallel" enforce="mandatory">2</setting>',
    );
    const d = xmlPolicy(
      'd',
      'user',
      5,
      '<appliesTo><profile>pay-*</profile></appliesTo>\n<setting path="transfer.parallel" enforce="mandatory">3</setting>',
    );
    const overview = buildPolicyOverview(set([a, b, c, d]));
    expect(overview.conflicts).toEqual([
      {
        path: 'transfer.verify',
        kind: 'conflict',
        message: expect.stringContaining('the more secure value hash wins over size'),
      },
    ]);
    expect(overview.values.filter((v) => v.path === 'transfer.parallel').map((v) => v.status)).toEqual([
      'active',
      'active',
    ]);
  });
});
