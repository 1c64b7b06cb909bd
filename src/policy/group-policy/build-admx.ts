/**
 * ftpsctl.admx and its en-US ftpsctl.adml, generated from the policy catalog (the profile
 * schema's `x-policy` annotations) with fast-xml-parser's XMLBuilder. Format: the
 * PolicyDefinitions schema (namespace http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions,
 * https://learn.microsoft.com/en-us/previous-versions/windows/desktop/policy/admx-schema);
 * layout after Chromium's generated templates: one category tree for mandatory policies and
 * one "users can override" tree for recommended ones. Pure: returns the two texts.
 */
import { xmlDocumentBuilder } from './xml-document-builder';
import type { SchemaNode } from '../../settings/profile-schema';
import {
  CATEGORIES,
  groupPolicyDefinitions,
  registryValueLabel,
  type GroupPolicyDefinition,
} from './group-policy-definitions';

export const ADMX_NAMESPACE = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
export const ADMX_TARGET_NAMESPACE = 'ftpsctl.Policies.ftpsctl';
export const ADMX_TARGET_PREFIX = 'ftpsctl';
export const SUPPORTED_ON = 'SUPPORTED_FTPSCTL_0_1';
const ROOT_CATEGORY = 'ftpsctl';
/** `ftpsctl_tls`, `ftpsctl_tls_recommended`: prefixed, so no category shares a string id with a policy. */
const categoryName = (id: string, recommended: boolean): string => `ftpsctl_${id}${recommended ? '_recommended' : ''}`;
const RECOMMENDED_ROOT_CATEGORY = 'ftpsctl_recommended';

export interface AdmxFiles {
  /** ftpsctl.admx */
  admx: string;
  /** en-US/ftpsctl.adml */
  adml: string;
}

type Xml = Record<string, unknown>;

const builder = xmlDocumentBuilder;

const XML_DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' } };

/** The first sentence of a description, without its full stop: the policy's display name. */
function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/.exec(text);
  return (match ? match[1] : text).replace(/[.!]$/, '');
}

function describeEnforcement(definition: GroupPolicyDefinition): string {
  const path = definition.settingPath;
  switch (definition.enforce) {
    case 'mandatory':
      return `Enabled: every ftpsctl session uses this value for ${path}; a profile cannot change it.`;
    case 'recommended':
      return `Enabled: sessions whose profile does not set ${path} use this value; a profile may set its own.`;
    case 'floor':
      return `Enabled: the lowest value ${path} may have. A weaker value in a profile is raised to it.`;
    case 'ceiling':
      return `Enabled: the highest value ${path} may have. A higher value in a profile is lowered to it.`;
    case 'allow':
      return `Enabled: ${path} must match one of these entries (${listEntries(path)}); a session to any other is refused.`;
    case 'deny':
      return `Enabled: a session whose ${path} matches one of these entries (${listEntries(path)}) is refused. Deny beats allow.`;
  }
}

/** What one entry of an allow or deny list of `path` may be: the rule policy XML and Registry.pol check it by (glob.ts). */
function listEntries(path: string): string {
  switch (path) {
    case 'port':
    case 'proxy.port':
      return 'a port, 990, or a port range, 1000-1100';
    case 'user':
      return 'user-name globs without white space: * matches any run of characters, ? one character, e.g. svc-*';
    case 'tls.pki.caFile':
    case 'proxy.caFile':
      return 'absolute file paths, * and ? allowed, e.g. C:\\ProgramData\\corp\\*.pem or /etc/ssl/corp/*.pem';
    case 'tls.pki.pinnedSha256':
      return 'SHA-256 certificate fingerprints, hex with ":" between bytes';
    case 'tls.pki.pinnedPublicKeySha256':
      return 'public key pins, sha256// and 44 base64 characters';
    default:
      return 'host-name globs (* matches any run of characters, ? one character, case-insensitive, e.g. *.corp.example), IP addresses or CIDR blocks, e.g. 10.0.0.0/8';
  }
}

function displayName(definition: GroupPolicyDefinition): string {
  const summary = firstSentence(definition.entry.schema.description ?? definition.settingPath);
  const suffix: Record<GroupPolicyDefinition['enforce'], string> = {
    mandatory: '',
    recommended: '',
    floor: ' — floor',
    ceiling: ' — ceiling',
    allow: ' — allowed names',
    deny: ' — denied names',
  };
  return `${definition.settingPath}${suffix[definition.enforce]}: ${summary}`;
}

function explainText(definition: GroupPolicyDefinition): string {
  const schema = definition.entry.schema;
  const lines = [schema.description ?? definition.settingPath, '', describeEnforcement(definition)];
  if (schema.type === 'object') lines.push(`Enter the value as JSON, e.g. ${objectExample(schema)}.`);
  if (definition.kind === 'boolean') lines.push('Disabled: the value is false.');
  else lines.push('Disabled: removes the value this policy set.');
  lines.push(
    'Not configured: no value from Group Policy; other policy files, the profile and the built-in default decide.',
  );
  if (schema.default !== undefined && definition.enforce !== 'allow' && definition.enforce !== 'deny')
    lines.push(`Built-in default: ${JSON.stringify(schema.default)}.`);
  lines.push(
    '',
    `Registry: ${registryValueLabel(definition)}${definition.kind === 'list' ? ' (values 1, 2, 3 ...)' : ''}.`,
    `ftpsctl setting: ${definition.settingPath} (enforce="${definition.enforce}").`,
  );
  return lines.join('\n');
}

/** `{"certFile": "...", "keyFile": "..."}`: the required members of an object setting. */
function objectExample(schema: SchemaNode): string {
  const members = schema.required ?? Object.keys(schema.properties ?? {});
  return `{${members.map((m) => `"${m}": "..."`).join(', ')}}`;
}

/** An enum's items as strings (REG_SZ), in the schema's order. */
function enumItems(schema: SchemaNode): string[] {
  return (schema.enum ?? []).map(String);
}

const itemStringId = (definition: GroupPolicyDefinition, item: string): string =>
  `${definition.name}__${item.replace(/[^A-Za-z0-9]/g, '_')}`;

/** The ADMX `<elements>` of a policy (none for a boolean). */
function policyElements(definition: GroupPolicyDefinition): Xml | undefined {
  const id = definition.name;
  const schema = definition.entry.schema;
  switch (definition.kind) {
    case 'boolean':
      return undefined;
    case 'enum':
      return {
        enum: {
          '@_id': id,
          '@_valueName': definition.valueName,
          '@_required': 'true',
          item: enumItems(schema).map((item) => ({
            '@_displayName': `$(string.${itemStringId(definition, item)})`,
            value: { string: item },
          })),
        },
      };
    case 'decimal':
      return {
        decimal: {
          '@_id': id,
          '@_valueName': definition.valueName,
          '@_required': 'true',
          ...(schema.minimum !== undefined ? { '@_minValue': String(schema.minimum) } : {}),
          ...(schema.maximum !== undefined ? { '@_maxValue': String(schema.maximum) } : {}),
        },
      };
    case 'text':
      return {
        text: {
          '@_id': id,
          '@_valueName': definition.valueName,
          '@_required': 'true',
          ...(schema.maxLength !== undefined ? { '@_maxLength': String(schema.maxLength) } : {}),
        },
      };
    case 'list':
      // The key on the element as well as on the policy, as Mozilla's and Chromium's templates do.
      return { list: { '@_id': id, '@_key': definition.key, '@_valuePrefix': '' } };
  }
}

function admxPolicy(definition: GroupPolicyDefinition): Xml {
  const recommended = definition.enforce === 'recommended';
  const policy: Xml = {
    '@_name': definition.name,
    '@_class': definition.class,
    '@_displayName': `$(string.${definition.name})`,
    '@_explainText': `$(string.${definition.name}_Explain)`,
    ...(definition.kind === 'boolean' ? {} : { '@_presentation': `$(presentation.${definition.name})` }),
    '@_key': definition.key,
    ...(definition.kind === 'boolean' ? { '@_valueName': definition.valueName } : {}),
    parentCategory: { '@_ref': categoryName(definition.category, recommended) },
    supportedOn: { '@_ref': SUPPORTED_ON },
  };
  if (definition.kind === 'boolean') {
    policy.enabledValue = { decimal: { '@_value': '1' } };
    policy.disabledValue = { decimal: { '@_value': '0' } };
  }
  const elements = policyElements(definition);
  if (elements) policy.elements = elements;
  return policy;
}

/** The ADML presentation of a policy with an element: the control an admin fills in. */
function presentation(definition: GroupPolicyDefinition): Xml | undefined {
  const id = definition.name;
  const schema = definition.entry.schema;
  const label = definition.settingPath;
  switch (definition.kind) {
    case 'boolean':
      return undefined;
    case 'enum': {
      const items = enumItems(schema);
      const index = schema.default === undefined ? -1 : items.indexOf(String(schema.default));
      return {
        '@_id': id,
        dropdownList: {
          '@_refId': id,
          '@_noSort': 'true',
          ...(index >= 0 ? { '@_defaultItem': String(index) } : {}),
          '#text': label,
        },
      };
    }
    case 'decimal':
      return {
        '@_id': id,
        decimalTextBox: {
          '@_refId': id,
          ...(typeof schema.default === 'number' ? { '@_defaultValue': String(schema.default) } : {}),
          '#text': label,
        },
      };
    case 'text':
      return { '@_id': id, textBox: { '@_refId': id, label } };
    case 'list':
      return { '@_id': id, listBox: { '@_refId': id, '#text': `${label} (one value per row)` } };
  }
}

/** Builds ftpsctl.admx and en-US/ftpsctl.adml from the catalog. `version` is the product version shown in supportedOn. */
export function buildAdmx(options: { version?: string } = {}): AdmxFiles {
  const version = options.version ?? '0.1';
  const definitions = groupPolicyDefinitions();
  const strings: Array<{ '@_id': string; '#text': string }> = [];
  const addString = (id: string, text: string): void => {
    strings.push({ '@_id': id, '#text': text });
  };

  addString(SUPPORTED_ON, `ftpsctl ${version} or later`);
  addString(ROOT_CATEGORY, 'ftpsctl');
  addString(RECOMMENDED_ROOT_CATEGORY, 'ftpsctl - default settings (users can override)');
  const categories: Xml[] = [
    { '@_name': ROOT_CATEGORY, '@_displayName': `$(string.${ROOT_CATEGORY})` },
    { '@_name': RECOMMENDED_ROOT_CATEGORY, '@_displayName': `$(string.${RECOMMENDED_ROOT_CATEGORY})` },
  ];
  for (const category of CATEGORIES) {
    for (const recommended of [false, true]) {
      const name = categoryName(category.id, recommended);
      addString(name, category.title);
      categories.push({
        '@_name': name,
        '@_displayName': `$(string.${name})`,
        parentCategory: { '@_ref': recommended ? RECOMMENDED_ROOT_CATEGORY : ROOT_CATEGORY },
      });
    }
  }

  const presentations: Xml[] = [];
  for (const definition of definitions) {
    addString(definition.name, displayName(definition));
    addString(`${definition.name}_Explain`, explainText(definition));
    if (definition.kind === 'enum')
      for (const item of enumItems(definition.entry.schema)) addString(itemStringId(definition, item), item);
    const shown = presentation(definition);
    if (shown) presentations.push(shown);
  }

  const admx = builder.build({
    ...XML_DECLARATION,
    policyDefinitions: {
      '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_revision': '1.0',
      '@_schemaVersion': '1.0',
      '@_xmlns': ADMX_NAMESPACE,
      policyNamespaces: {
        target: { '@_prefix': ADMX_TARGET_PREFIX, '@_namespace': ADMX_TARGET_NAMESPACE },
        using: { '@_prefix': 'windows', '@_namespace': 'Microsoft.Policies.Windows' },
      },
      resources: { '@_minRequiredRevision': '1.0' },
      supportedOn: {
        definitions: { definition: { '@_name': SUPPORTED_ON, '@_displayName': `$(string.${SUPPORTED_ON})` } },
      },
      categories: { category: categories },
      policies: { policy: definitions.map(admxPolicy) },
    },
  }) as string;

  const adml = builder.build({
    ...XML_DECLARATION,
    policyDefinitionResources: {
      '@_xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_revision': '1.0',
      '@_schemaVersion': '1.0',
      '@_xmlns': ADMX_NAMESPACE,
      displayName: 'ftpsctl',
      description:
        'Group Policy settings for ftpsctl, the policy-managed FTPS client. Generated from its settings schema; do not edit.',
      resources: { stringTable: { string: strings }, presentationTable: { presentation: presentations } },
    },
  }) as string;
  return { admx, adml };
}
