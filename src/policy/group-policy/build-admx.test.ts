import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { policyCatalog } from '../policy-catalog';
import { ADMX_NAMESPACE, buildAdmx } from './build-admx';
import { groupPolicyDefinitions, POLICY_KEY, RECOMMENDED_KEY } from './group-policy-definitions';

type Node = Record<string, unknown>;
const ARRAYS = new Set([
  'policyDefinitions.policies.policy',
  'policyDefinitions.categories.category',
  'policyDefinitionResources.resources.stringTable.string',
  'policyDefinitionResources.resources.presentationTable.presentation',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (_n, jpath) => ARRAYS.has(String(jpath)) || String(jpath).endsWith('.item'),
});

const files = buildAdmx();
const admx = parser.parse(files.admx) as {
  policyDefinitions: Node & { policies: { policy: Node[] }; categories: { category: Node[] } };
};
const adml = parser.parse(files.adml) as {
  policyDefinitionResources: Node & {
    resources: { stringTable: { string: Node[] }; presentationTable: { presentation: Node[] } };
  };
};
const policies = admx.policyDefinitions.policies.policy;
const byName = new Map(policies.map((p) => [p['@_name'] as string, p]));

describe('ftpsctl.admx and en-US/ftpsctl.adml', () => {
  test('both are well-formed XML in the PolicyDefinitions namespace', () => {
    expect(XMLValidator.validate(files.admx)).toBe(true);
    expect(XMLValidator.validate(files.adml)).toBe(true);
    expect(admx.policyDefinitions['@_xmlns']).toBe(ADMX_NAMESPACE);
    expect(adml.policyDefinitionResources['@_xmlns']).toBe(ADMX_NAMESPACE);
    expect(admx.policyDefinitions.policyNamespaces).toEqual({
      target: { '@_prefix': 'ftpsctl', '@_namespace': 'ftpsctl.Policies.ftpsctl' },
      using: { '@_prefix': 'windows', '@_namespace': 'Microsoft.Policies.Windows' },
    });
  });

  test('every $(string.…) and $(presentation.…) the ADMX uses exists in the ADML, and no id is defined twice', () => {
    const strings = adml.policyDefinitionResources.resources.stringTable.string.map((s) => s['@_id'] as string);
    const presentations = adml.policyDefinitionResources.resources.presentationTable.presentation.map(
      (p) => p['@_id'] as string,
    );
    expect(new Set(strings).size).toBe(strings.length);
    expect(new Set(presentations).size).toBe(presentations.length);
    const references = [...files.admx.matchAll(/\$\((string|presentation)\.([^)]*)\)/g)];
    expect(references.length).toBeGreaterThan(policyCatalog().size * 2);
    const missing = references
      .filter(([, table, id]) => !(table === 'string' ? strings : presentations).includes(id))
      .map(([whole]) => whole);
    expect(missing).toEqual([]);
    // Every presentation's controls point at an element of its policy.
    for (const presentation of adml.policyDefinitionResources.resources.presentationTable.presentation) {
      const policy = byName.get(presentation['@_id'] as string);
      expect(policy).toBeDefined();
      const control = Object.entries(presentation).find(([key]) => !key.startsWith('@_'))?.[1] as Node;
      const elements = policy?.elements as Record<string, Node>;
      expect(Object.values(elements).map((e) => e['@_id'])).toContain(control['@_refId']);
    }
  });

  test('every catalog setting has a policy, and every enforcement kind it accepts has one', () => {
    for (const entry of policyCatalog().values()) {
      const base = entry.path.replace(/\./g, '_');
      for (const enforce of entry.enforce) {
        const name = enforce === 'mandatory' ? base : `${base}_${enforce}`;
        expect([entry.path, enforce, byName.has(name)]).toEqual([entry.path, enforce, true]);
      }
    }
    expect(policies).toHaveLength(groupPolicyDefinitions().length);
    expect(new Set(policies.map((p) => p['@_name'])).size).toBe(policies.length);
  });

  test('categories: a TLS, PKI, Network, Proxy, Transfer and Audit tree for mandatory policies and one users can override', () => {
    const categories = admx.policyDefinitions.categories.category;
    const names = new Set(categories.map((c) => c['@_name'] as string));
    for (const id of ['tls', 'pki', 'network', 'proxy', 'transfer', 'audit']) {
      expect(names.has(`ftpsctl_${id}`)).toBe(true);
      expect(names.has(`ftpsctl_${id}_recommended`)).toBe(true);
    }
    for (const policy of policies) expect(names.has((policy.parentCategory as Node)['@_ref'] as string)).toBe(true);
  });

  test('a boolean: valueName on the policy, enabled 1 and disabled 0 as decimals, under the mandatory key', () => {
    expect(byName.get('tls_fipsMode')).toMatchObject({
      '@_class': 'Machine',
      '@_key': POLICY_KEY,
      '@_valueName': 'tls.fipsMode',
      enabledValue: { decimal: { '@_value': '1' } },
      disabledValue: { decimal: { '@_value': '0' } },
      parentCategory: { '@_ref': 'ftpsctl_tls' },
      supportedOn: { '@_ref': 'SUPPORTED_FTPSCTL_0_1' },
    });
    expect(byName.get('tls_fipsMode_recommended')).toMatchObject({
      '@_class': 'Both',
      '@_key': RECOMMENDED_KEY,
      '@_valueName': 'tls.fipsMode',
      parentCategory: { '@_ref': 'ftpsctl_tls_recommended' },
    });
  });

  test('an enum: string items in the schema order; floors and ceilings of ordered settings are their own policies', () => {
    expect(byName.get('tls_minVersion')?.elements).toEqual({
      enum: {
        '@_id': 'tls_minVersion',
        '@_valueName': 'tls.minVersion',
        '@_required': 'true',
        item: [
          { '@_displayName': '$(string.tls_minVersion__TLSv1_2)', value: { string: 'TLSv1.2' } },
          { '@_displayName': '$(string.tls_minVersion__TLSv1_3)', value: { string: 'TLSv1.3' } },
        ],
      },
    });
    expect(byName.get('tls_minVersion_floor')).toMatchObject({
      '@_key': `${POLICY_KEY}\\Floor`,
      elements: { enum: { '@_valueName': 'tls.minVersion' } },
    });
    expect(byName.get('tls_maxVersion_ceiling')).toMatchObject({ '@_key': `${POLICY_KEY}\\Ceiling` });
    // Mixed enums (a string and numbers) are strings in the registry.
    const strength = (byName.get('tls_encryptionStrength')?.elements as { enum: { item: Node[] } }).enum.item.map(
      (i) => (i.value as Node).string,
    );
    expect(strength).toEqual(['default', '128', '256']);
  });

  test("a number: a decimal with the schema's minimum and maximum", () => {
    expect(byName.get('network_connectTimeoutMs')?.elements).toEqual({
      decimal: {
        '@_id': 'network_connectTimeoutMs',
        '@_valueName': 'network.connectTimeoutMs',
        '@_required': 'true',
        '@_minValue': '100',
        '@_maxValue': '600000',
      },
    });
  });

  test('host allow and deny lists are <list> policies, each on its own key', () => {
    expect(byName.get('host_allow')).toMatchObject({
      '@_class': 'Machine',
      '@_key': `${POLICY_KEY}\\Allow\\host`,
      elements: { list: { '@_id': 'host_allow', '@_key': `${POLICY_KEY}\\Allow\\host`, '@_valuePrefix': '' } },
    });
    expect(byName.get('host_deny')).toMatchObject({ '@_key': `${POLICY_KEY}\\Deny\\host` });
    expect(byName.get('tls_pki_pinnedSha256')).toMatchObject({
      '@_key': `${POLICY_KEY}\\tls.pki.pinnedSha256`,
      elements: { list: { '@_id': 'tls_pki_pinnedSha256' } },
    });
  });

  test("explain texts come from the schema's descriptions and name the registry value", () => {
    const strings = new Map(
      adml.policyDefinitionResources.resources.stringTable.string.map((s) => [
        s['@_id'] as string,
        s['#text'] as string,
      ]),
    );
    const fips = policyCatalog().get('tls.fipsMode');
    expect(strings.get('tls_fipsMode_Explain')).toContain(fips?.schema.description);
    expect(strings.get('tls_fipsMode_Explain')).toContain('Registry: Software\\Policies\\ftpsctl!tls.fipsMode.');
    expect(strings.get('tls_fipsMode')).toMatch(/^tls\.fipsMode: Run in FIPS mode/);
  });

  test('the same catalog gives the same bytes (the template is reproducible)', () => {
    expect(buildAdmx()).toEqual(files);
  });
});
