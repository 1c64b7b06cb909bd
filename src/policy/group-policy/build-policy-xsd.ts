/**
 * schemas/policy.xsd: an XML Schema (XSD 1.0, https://www.w3.org/TR/xmlschema-1/) of policy
 * files, generated from the policy catalog with XMLBuilder, so XML editors complete the
 * elements, attributes, every setting path (with its description, the enforcement kinds it
 * accepts and its values as documentation) and every enforcement kind. XSD 1.0 cannot make a
 * value's type depend on the `path` attribute; `ftpsctl policy validate` checks values. The
 * checked-in file is compared with this output by a test (fix: `npm run gen:xsd`). Pure.
 */
import { xmlDocumentBuilder } from './xml-document-builder';
import type { SchemaNode } from '../../settings/profile-schema';
import { POLICY_NAMESPACE } from '../policy-document';
import { policyCatalog, type CatalogEntry } from '../policy-catalog';
import { MAX_DECLARED_PRIORITY } from '../policy-rank';

const builder = xmlDocumentBuilder;

type Xml = Record<string, unknown>;

const documentation = (text: string): Xml => ({ 'xs:annotation': { 'xs:documentation': text } });

function valuesText(schema: SchemaNode, entry: CatalogEntry): string {
  if (schema.enum) return `one of ${schema.enum.map(String).join(' | ')}`;
  if (schema.type === 'boolean') return 'true | false';
  if (schema.type === 'integer' || schema.type === 'number')
    return `a whole number${schema.minimum !== undefined ? ` from ${schema.minimum}` : ''}${schema.maximum !== undefined ? ` to ${schema.maximum}` : ''}`;
  if (entry.isList) return 'one <value> element per item';
  if (schema.type === 'object')
    return `a JSON object (${(schema.required ?? []).join(', ')}${schema.required?.length ? ' required' : ''})`;
  return 'text';
}

function describeSetting(entry: CatalogEntry): string {
  const parts = [entry.schema.description ?? entry.path, `Enforce: ${entry.enforce.join(', ')}.`];
  if (entry.enforce.includes('allow') || entry.enforce.includes('deny'))
    parts.push('allow / deny: one <value> glob per element (* any text, ? one character).');
  parts.push(`Value: ${valuesText(entry.schema, entry)}.`);
  if (Array.isArray(entry.order))
    parts.push(
      `Order (weakest first, for floor / ceiling and equal-rank conflicts): ${entry.order.map(String).join(' < ')}.`,
    );
  return parts.join(' ');
}

const restriction = (base: string, facets: Xml): Xml => ({ 'xs:restriction': { '@_base': base, ...facets } });

export const POLICY_XSD_BANNER =
  'GENERATED FILE, DO NOT EDIT: run `npm run gen:xsd`. Source: schemas/session-profile.schema.json (x-policy annotations) via src/policy/group-policy/build-policy-xsd.ts.';

export function buildPolicyXsd(): string {
  const entries = [...policyCatalog().values()];
  const schema = {
    '@_xmlns:xs': 'http://www.w3.org/2001/XMLSchema',
    '@_xmlns:p': POLICY_NAMESPACE,
    '@_targetNamespace': POLICY_NAMESPACE,
    '@_elementFormDefault': 'qualified',
    '@_attributeFormDefault': 'unqualified',
    ...documentation(
      'ftpsctl group-policy file (DESIGN.md, "Group policy files"). Reference it with xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:ftpsctl:policy:1 policy.xsd".',
    ),
    'xs:element': {
      '@_name': 'policy',
      ...documentation(
        'One policy: its name (unique across the policy set), scope (machine beats user) and priority (higher wins within a scope).',
      ),
      'xs:complexType': {
        'xs:sequence': {
          'xs:element': [
            { '@_name': 'description', '@_type': 'xs:string', '@_minOccurs': '0' },
            {
              '@_name': 'appliesTo',
              '@_minOccurs': '0',
              ...documentation('The profiles and hosts the policy applies to; without it, every session.'),
              'xs:complexType': {
                'xs:choice': {
                  '@_maxOccurs': 'unbounded',
                  'xs:element': [
                    { '@_name': 'profile', '@_type': 'p:glob' },
                    { '@_name': 'host', '@_type': 'p:glob' },
                  ],
                },
              },
            },
            { '@_name': 'setting', '@_type': 'p:setting', '@_minOccurs': '0', '@_maxOccurs': 'unbounded' },
          ],
        },
        'xs:attribute': [
          { '@_name': 'name', '@_use': 'required', '@_type': 'p:policyName' },
          { '@_name': 'scope', '@_use': 'required', '@_type': 'p:scope' },
          { '@_name': 'priority', '@_use': 'required', '@_type': 'p:priority' },
        ],
      },
    },
    'xs:complexType': {
      '@_name': 'setting',
      '@_mixed': 'true',
      ...documentation(
        'A setting: the value as text (<setting ...>TLSv1.3</setting>), or one <value> element per item for lists, allow and deny.',
      ),
      'xs:sequence': {
        'xs:element': { '@_name': 'value', '@_type': 'xs:string', '@_minOccurs': '0', '@_maxOccurs': 'unbounded' },
      },
      'xs:attribute': [
        { '@_name': 'path', '@_use': 'required', '@_type': 'p:settingPath' },
        { '@_name': 'enforce', '@_use': 'required', '@_type': 'p:enforce' },
      ],
    },
    'xs:simpleType': [
      {
        '@_name': 'policyName',
        'xs:restriction': { '@_base': 'xs:string', 'xs:pattern': { '@_value': '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}' } },
      },
      {
        '@_name': 'scope',
        ...restriction('xs:string', { 'xs:enumeration': [{ '@_value': 'machine' }, { '@_value': 'user' }] }),
      },
      {
        '@_name': 'priority',
        ...restriction('xs:nonNegativeInteger', {
          'xs:maxInclusive': { '@_value': String(MAX_DECLARED_PRIORITY) },
          'xs:pattern': { '@_value': '0|[1-9][0-9]{0,5}' },
        }),
      },
      {
        '@_name': 'glob',
        ...restriction('xs:string', {
          'xs:minLength': { '@_value': '1' },
          'xs:pattern': { '@_value': '[^\\s\\[\\]{}!\\^\\\\/]+' },
        }),
      },
      {
        '@_name': 'enforce',
        ...restriction('xs:string', {
          'xs:enumeration': [
            { '@_value': 'mandatory', ...documentation('forced and locked') },
            {
              '@_value': 'recommended',
              ...documentation('the default when the profile is silent; the profile may override'),
            },
            { '@_value': 'floor', ...documentation('ordered settings: the profile may only make it stronger') },
            { '@_value': 'ceiling', ...documentation('ordered settings: caps the value') },
            { '@_value': 'allow', ...documentation('host lists: the value must match one of these globs') },
            { '@_value': 'deny', ...documentation('host lists: a value matching one of these globs is refused') },
          ],
        }),
      },
      {
        '@_name': 'settingPath',
        ...restriction('xs:string', {
          'xs:enumeration': entries.map((entry) => ({
            '@_value': entry.path,
            ...documentation(describeSetting(entry)),
          })),
        }),
      },
    ],
  };
  const body = builder.build({ 'xs:schema': schema }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!-- ${POLICY_XSD_BANNER} -->\n${body.trim()}\n`;
}
