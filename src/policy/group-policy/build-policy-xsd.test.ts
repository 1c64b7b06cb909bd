import { readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { policyCatalog } from '../policy-catalog';
import { buildPolicyXsd } from './build-policy-xsd';

const xsd = buildPolicyXsd();
const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(xsd) as {
  'xs:schema': Record<string, unknown>;
};

describe('schemas/policy.xsd', () => {
  test('the checked-in file is what the catalog generates (fix: npm run gen:xsd)', () => {
    const checkedIn = readFileSync(path.resolve(__dirname, '../../../schemas/policy.xsd'), 'utf8');
    expect(checkedIn === xsd ? 'up to date' : 'schemas/policy.xsd is stale: run npm run gen:xsd').toBe('up to date');
  });

  test('is well-formed, targets the policy namespace, and lists every catalog setting path with its documentation', () => {
    expect(XMLValidator.validate(xsd)).toBe(true);
    const schema = parsed['xs:schema'];
    expect(schema['@_targetNamespace']).toBe('urn:ftpsctl:policy:1');
    const types = schema['xs:simpleType'] as Array<Record<string, unknown>>;
    const paths = types.find((t) => t['@_name'] === 'settingPath') as {
      'xs:restriction': { 'xs:enumeration': Array<Record<string, unknown>> };
    };
    const enumeration = paths['xs:restriction']['xs:enumeration'];
    expect(enumeration.map((e) => e['@_value'])).toEqual([...policyCatalog().keys()]);
    const minVersion = enumeration.find((e) => e['@_value'] === 'tls.minVersion') as {
      'xs:annotation': { 'xs:documentation': string };
    };
    expect(minVersion['xs:annotation']['xs:documentation']).toMatch(
      /Enforce: mandatory, recommended, floor, ceiling\. Value: one of TLSv1\.2 \| TLSv1\.3\. Order .*: TLSv1\.2 < TLSv1\.3\./,
    );
    const enforce = types.find((t) => t['@_name'] === 'enforce') as {
      'xs:restriction': { 'xs:enumeration': Array<Record<string, unknown>> };
    };
    expect(enforce['xs:restriction']['xs:enumeration'].map((e) => e['@_value'])).toEqual([
      'mandatory',
      'recommended',
      'floor',
      'ceiling',
      'allow',
      'deny',
    ]);
  });
});
