import { GroupPolicyEditor } from '../../../test/helpers/group-policy-editor';
import { parsePolicyText } from '../parse-policy';
import { buildAdmx } from './build-admx';
import { policyToXml } from './policy-to-xml';
import { registryPolToPolicy } from './registry-policy';

describe('policyToXml', () => {
  test('a Registry.pol policy written as XML parses back to the same settings and scope, at the highest XML priority', () => {
    const bytes = new GroupPolicyEditor(buildAdmx().admx)
      .set('tls_fipsMode', { enabled: true })
      .set('tls_minVersion_floor', { enabled: true, value: 'TLSv1.3' })
      .set('tls_encryptionStrength', { enabled: true, value: '256' })
      .set('network_connectTimeoutMs_recommended', { enabled: true, value: 15000 })
      .set('audit_logFile', { enabled: true, value: 'C:\\ProgramData\\ftpsctl\\a&b <audit>.jsonl' })
      .set('host_deny', { enabled: true, value: ['*.bad.example', 'evil.example'] })
      .set('tls_pki_pinnedSha256', { enabled: true, value: ['ab'.repeat(32)] })
      .registryPol();
    const imported = registryPolToPolicy(bytes, '/gp/Machine/Registry.pol', 'machine');
    expect(imported.problems).toEqual([]);
    const policy = imported.policy;
    if (!policy) throw new Error('no policy');
    const xml = policyToXml(policy);
    expect(xml).toContain('<!-- Software\\Policies\\ftpsctl!tls.fipsMode -->');
    const parsed = parsePolicyText(xml, 'imported.xml');
    expect(parsed.problems).toEqual([]);
    const strip = (settings: typeof policy.settings) =>
      settings.map(({ path, enforce, value, globs }) => ({ path, enforce, value, globs }));
    expect(strip(parsed.policy?.settings ?? [])).toEqual(strip(policy.settings));
    // A Registry.pol ranks 1000000, above any XML file; written as XML it takes the highest XML priority.
    expect(policy.priority).toBe(1_000_000);
    expect(parsed.policy).toMatchObject({ name: 'group-policy-machine', scope: 'machine', priority: 999_999 });
  });

  test('appliesTo and a description are written; a comment cannot be ended early by the registry text', () => {
    const xml = policyToXml({
      name: 'p',
      scope: 'user',
      priority: 7,
      description: 'd',
      appliesTo: { profiles: ['pay-*'], hosts: ['*.corp.example'] },
      settings: [
        { path: 'transfer.verify', enforce: 'mandatory', value: 'hash', line: 0, column: 0, registryValue: 'K--x!v' },
      ],
    });
    const parsed = parsePolicyText(xml, 'p.xml');
    expect(parsed.problems).toEqual([]);
    expect(parsed.policy).toMatchObject({
      description: 'd',
      appliesTo: { profiles: ['pay-*'], hosts: ['*.corp.example'] },
      scope: 'user',
      priority: 7,
    });
  });
});

test('an object setting (tls.pki.clientCertificate) is written as JSON and parses back', () => {
  const value = { certFile: 'C:\\pki\\client.pem', keyFile: 'C:\\pki\\client.key' };
  const xml = policyToXml({
    name: 'p',
    scope: 'machine',
    priority: 1,
    appliesTo: { profiles: [], hosts: [] },
    settings: [{ path: 'tls.pki.clientCertificate', enforce: 'mandatory', value, line: 0, column: 0 }],
  });
  const parsed = parsePolicyText(xml, 'p.xml');
  expect(parsed.problems).toEqual([]);
  expect(parsed.policy?.settings[0].value).toEqual(value);
});
