/**
 * The shape of a policy document, as fast-xml-parser gives it, checked against
 * schemas/policy.schema.json (so stray elements and attributes are errors), and each schema
 * error in words with the fix.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { readSchemaFile } from '../settings/package-root';
import { createPolicyAjv, loadStandaloneValidator, STANDALONE_VALIDATOR_FILES } from '../settings/schema-validators';
import { closestMatch } from '../text/closest-match';
import type { EnforceKind } from './policy';

export const POLICY_NAMESPACE = 'urn:ftpsctl:policy:1';

/** What fast-xml-parser gives for a valid document (checked by the policy schema). */
export interface PolicyDocument {
  policy: {
    '@_xmlns': string;
    '@_name': string;
    '@_scope': 'machine' | 'user';
    '@_priority': string;
    description?: string;
    appliesTo?: { profile?: string[]; host?: string[] };
    setting?: Array<{ '@_path': string; '@_enforce': EnforceKind; '#text'?: string; value?: string[] }>;
  };
}

/** The policy document schema (`schemas/policy.schema.json`), read once when first asked for. */
let policySchemaJson: object | undefined;
export function policyDocumentSchema(): object {
  return (policySchemaJson ??= readSchemaFile('policy.schema.json'));
}

let policyValidator: ValidateFunction<PolicyDocument> | undefined;

/** The policy document validator: the build's standalone one, or compiled once on first use. */
export function policyDocumentValidator(): ValidateFunction<PolicyDocument> {
  policyValidator ??=
    loadStandaloneValidator<ValidateFunction<PolicyDocument>>(STANDALONE_VALIDATOR_FILES.policyDocument) ??
    createPolicyAjv().compile<PolicyDocument>(policyDocumentSchema());
  return policyValidator;
}

function elementName(token: string): string {
  return token.startsWith('@_') ? token.slice(2) : token;
}

/** A pointer's element chain for messages: `/policy/setting/2/@_enforce` -> `<setting>`. */
function ownerElement(pointer: string): string {
  const tokens = pointer
    .split('/')
    .slice(1)
    .filter((t) => !/^\d+$/.test(t) && !t.startsWith('@_') && t !== '#text');
  return tokens.length ? `<${tokens[tokens.length - 1]}>` : 'the document';
}

/** One ajv error on a policy document as a problem at a JSON pointer into the document, with the fix. */
export function describeDocumentError(error: ErrorObject): { pointer: string; message: string } | undefined {
  const pointer = error.instancePath;
  const owner = ownerElement(pointer);
  const schema = (error.parentSchema ?? {}) as { properties?: Record<string, unknown>; 'x-hint'?: string };
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      if (pointer === '')
        return {
          pointer,
          message: `the root element must be <policy xmlns="${POLICY_NAMESPACE}" name="..." scope="machine|user" priority="N">`,
        };
      const fixes: Record<string, string> = {
        '@_xmlns': `xmlns="${POLICY_NAMESPACE}"`,
        '@_name': 'name="..." (a unique policy name)',
        '@_scope': 'scope="machine" or scope="user"',
        '@_priority': 'priority="N" (0 to 999999; higher wins within a scope)',
        '@_path': 'path="..." (a setting path such as tls.minVersion)',
        '@_enforce': 'enforce="mandatory|recommended|floor|ceiling|allow|deny"',
      };
      return { pointer, message: `${owner} needs the attribute ${fixes[missing] ?? elementName(missing)}` };
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(schema.properties ?? {});
      const isAttribute = extra.startsWith('@_');
      const candidates = allowed
        .filter((key) => key.startsWith('@_') === isAttribute && key !== '?xml' && key !== '#text')
        .map(elementName);
      const suggestion = closestMatch(elementName(extra), candidates);
      if (pointer === '')
        return {
          pointer: `/${extra}`,
          message: `unknown root element <${extra}>; the root element must be <policy xmlns="${POLICY_NAMESPACE}">`,
        };
      if (extra === '#text') return { pointer, message: `${owner} must not contain text here` };
      const what = isAttribute ? `attribute "${elementName(extra)}" on ${owner}` : `element <${extra}> in ${owner}`;
      const fix = suggestion
        ? `did you mean ${isAttribute ? `"${suggestion}"` : `<${suggestion}>`}?`
        : `allowed: ${candidates.map((c) => (isAttribute ? c : `<${c}>`)).join(', ') || 'none'}`;
      return {
        pointer: isAttribute ? `${pointer}/${extra}` : `${pointer}/${extra}`,
        message: `unknown ${what}; ${fix}`,
      };
    }
    case 'const':
      return { pointer, message: `wrong namespace "${String(error.data)}"; use xmlns="${POLICY_NAMESPACE}"` };
    case 'enum': {
      const attribute = elementName(pointer.split('/').pop() ?? '');
      const allowed = (error.params as { allowedValues: string[] }).allowedValues;
      return { pointer, message: `${attribute}="${String(error.data)}" must be one of ${allowed.join(', ')}` };
    }
    case 'pattern': {
      const attribute = elementName(pointer.split('/').pop() ?? '');
      return { pointer, message: `${attribute}="${String(error.data)}" must be ${schema['x-hint'] ?? 'valid'}` };
    }
    case 'minProperties':
      return {
        pointer,
        message: '<appliesTo> lists nothing; add <profile> or <host> globs, or remove it to apply to every session',
      };
    case 'type': {
      const expected = (error.params as { type: string }).type;
      if (expected === 'object' && pointer.endsWith('/appliesTo')) {
        return {
          pointer,
          message: '<appliesTo> lists nothing; add <profile> or <host> globs, or remove it to apply to every session',
        };
      }
      if (expected === 'object' && /\/setting\/\d+$/.test(pointer))
        return { pointer, message: '<setting> needs the attributes path="..." and enforce="..."' };
      if (expected === 'object' && pointer === '/policy')
        return {
          pointer,
          message: `<policy> needs the attributes xmlns="${POLICY_NAMESPACE}", name, scope and priority`,
        };
      if (expected === 'string') return { pointer, message: `${owner} must contain only text` };
      if (expected === 'array') return { pointer, message: `${owner} appears in the wrong place` };
      return { pointer, message: `${owner} must be ${expected}` };
    }
    default:
      return { pointer, message: `${owner} ${error.message ?? 'is invalid'}` };
  }
}
