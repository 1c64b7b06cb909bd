/**
 * The settings a policy can manage, built from the `x-policy` annotations of the profile
 * schema: which enforcement kinds each accepts, the order of its values (least to most
 * secure), and how a value written in XML becomes a typed value.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { profileSchema, profileSchemaId, type PolicyAnnotation } from '../settings/profile-schema';
import {
  catalogSchemaId,
  createCatalogAjv,
  loadStandaloneValidator,
  STANDALONE_VALIDATOR_FILES,
  type SchemaAjv,
} from '../settings/schema-validators';
import { describeProfileErrors } from '../profile/profile-problems';
import { listSettings, type SettingEntry } from '../settings/settings-catalog';
import type { EnforceKind } from './policy';

export interface CatalogEntry extends SettingEntry {
  enforce: EnforceKind[];
  order?: PolicyAnnotation['order'];
  /** Array-valued (pinnedSha256, crlFiles): written as several <value> elements. */
  isList: boolean;
  /** Numeric settings: which way is more secure (`x-policy.secure`); absent: neither. */
  secure?: 'lower' | 'higher';
}

let catalog: Map<string, CatalogEntry> | undefined;

export function policyCatalog(): Map<string, CatalogEntry> {
  if (!catalog) {
    catalog = new Map();
    for (const setting of listSettings()) {
      const annotation = setting.schema['x-policy'];
      if (!annotation) continue;
      catalog.set(setting.path, {
        ...setting,
        enforce: annotation.enforce,
        order: annotation.order,
        isList: setting.schema.type === 'array',
        ...(annotation.secure ? { secure: annotation.secure } : {}),
      });
    }
  }
  return catalog;
}

/**
 * Compares two values of an ordered setting: negative when `a` is weaker (lower) than `b`.
 * Unordered settings compare as 0 when equal and NaN otherwise.
 */
export function compareValues(entry: Pick<CatalogEntry, 'order'>, a: unknown, b: unknown): number {
  if (entry.order === 'numeric') return (a as number) - (b as number);
  if (Array.isArray(entry.order)) return entry.order.indexOf(a) - entry.order.indexOf(b);
  return sameValue(a, b) ? 0 : NaN;
}

export function isOrdered(entry: Pick<CatalogEntry, 'order'>): boolean {
  return entry.order !== undefined;
}

/**
 * Which of two values is more secure: positive when `a` is. Ordered lists follow their order;
 * numbers follow `secure` (lower or higher), and without it neither is called more secure (NaN).
 */
export function compareSecurity(entry: Pick<CatalogEntry, 'order' | 'secure'>, a: unknown, b: unknown): number {
  if (entry.order === 'numeric')
    return entry.secure === 'lower'
      ? (b as number) - (a as number)
      : entry.secure === 'higher'
        ? (a as number) - (b as number)
        : NaN;
  return compareValues(entry, a, b);
}

/** Whether equal-rank values of this setting can be told apart by security. */
export function hasSecureOrder(entry: Pick<CatalogEntry, 'order' | 'secure'>): boolean {
  return Array.isArray(entry.order) || (entry.order === 'numeric' && entry.secure !== undefined);
}

export function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

let ajv: SchemaAjv | undefined;
const validators = new Map<string, ValidateFunction>();
let standalone: Record<string, ValidateFunction> | null | undefined;

function validatorFor(entry: CatalogEntry): ValidateFunction {
  let validate = validators.get(entry.path);
  if (!validate) {
    if (standalone === undefined)
      standalone =
        loadStandaloneValidator<Record<string, ValidateFunction>>(STANDALONE_VALIDATOR_FILES.catalog) ?? null;
    const index = [...policyCatalog().keys()].indexOf(entry.path);
    validate = standalone?.[`v${index}`];
    if (!validate) {
      ajv ??= createCatalogAjv(profileSchema, profileSchemaId, policyCatalog().values());
      validate = ajv.getSchema(catalogSchemaId(entry.path)) as ValidateFunction;
    }
    validators.set(entry.path, validate);
  }
  return validate;
}

/** Turns the texts of a policy <setting> into the setting's typed value, or says what is wrong. */
export function coerceValue(entry: CatalogEntry, texts: string[]): { value: unknown } | { problem: string } {
  if (texts.length === 0 || (texts.length === 1 && texts[0] === ''))
    return { problem: `needs a value for ${entry.path}` };
  if (!entry.isList && texts.length > 1)
    return { problem: `${entry.path} takes one value; got ${texts.length} <value> elements` };
  const value = entry.isList ? texts : fromText(entry, texts[0]);
  const validate = validatorFor(entry);
  if (validate(value)) return { value };
  // Describe the errors as if the value stood in a profile, so messages match profile errors.
  const errors = (validate.errors ?? []).map((error: ErrorObject) => ({
    ...error,
    instancePath: `${entry.pointer}${error.instancePath}`,
  }));
  const problems = describeProfileErrors(errors, wrapAt(entry.pointer, value));
  return { problem: problems.map((p) => p.message).join('; ') };
}

function fromText(entry: CatalogEntry, text: string): unknown {
  const schema = entry.schema;
  // Object settings (tls.pki.clientCertificate) are written as JSON: {"certFile": "...", "keyFile": "..."}.
  if (schema.type === 'object') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (schema.enum) return schema.enum.find((candidate) => String(candidate) === text) ?? text;
  if (schema.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (schema.type === 'integer' || schema.type === 'number') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  return text;
}

function wrapAt(pointer: string, value: unknown): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reverse()
    .reduce<unknown>((inner, key) => ({ [key]: inner }), value);
}
