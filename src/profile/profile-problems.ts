/**
 * Turns ajv's errors on a profile into problems a person can act on: a JSON pointer, the
 * line and column in the source text, and a sentence that says what is wrong and the fix.
 * Pure: errors, document and schema in; problems out.
 */
import type { ErrorObject } from 'ajv';
import { closestMatch } from '../text/closest-match';
import type { JsonDocument, SourcePosition } from './json-source';
import { derefNode, profileSchema, schemaAtPointer, type SchemaNode } from '../settings/profile-schema';

export interface ProfileProblem {
  /** JSON pointer of the offending value ('' for the whole document or file). */
  pointer: string;
  /** 1-based; null when the problem concerns the file itself (missing, unreadable...). */
  line: number | null;
  column: number | null;
  message: string;
}

/** `/tls/pki/crlFiles/0` -> `tls.pki.crlFiles[0]`. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return 'the profile';
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, token) => (/^\d+$/.test(token) ? `${path}[${token}]` : path ? `${path}.${token}` : token), '');
}

/** Pointers whose value would be the secret itself (a plaintext password written by mistake). */
const SECRET_SEGMENT = /(^|\/)(password|passphrase)$/;

/** A value quoted for an error message; never the value of a secret field. */
function showValue(pointer: string, value: unknown): string {
  if (SECRET_SEGMENT.test(pointer)) return 'a value that is not shown (secret field)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  const shown = text.length > 60 ? `${text.slice(0, 57)}..."` : text;
  return typeof value === 'string' ? shown : `${typeof value} ${shown}`;
}

function typeName(type: string): string {
  return type === 'object'
    ? 'an object'
    : type === 'array'
      ? 'an array'
      : type === 'integer'
        ? 'an integer'
        : `a ${type}`;
}

function literal(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Allowed values: bare words when all are strings (`TLSv1.2, TLSv1.3`), JSON when types mix (`"default", 128, 256`). */
function literalList(values: unknown[]): string {
  return values.every((v) => typeof v === 'string')
    ? values.join(', ')
    : values.map((v) => JSON.stringify(v)).join(', ');
}

function valueAt(data: unknown, pointer: string): unknown {
  let node = data;
  for (const token of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

/** The line/column for a pointer: the key for unknown keys, else the value, else the nearest existing parent. */
function locate(document: JsonDocument | undefined, pointer: string, preferKey: boolean): SourcePosition | undefined {
  if (!document) return undefined;
  let current = pointer;
  for (;;) {
    const location = document.locations.get(current);
    if (location) return preferKey && location.key ? location.key : location.value;
    if (current === '') return undefined;
    current = current.slice(0, current.lastIndexOf('/'));
  }
}

function problem(
  document: JsonDocument | undefined,
  pointer: string,
  message: string,
  preferKey = false,
): ProfileProblem {
  const at = locate(document, pointer, preferKey);
  return { pointer, line: at?.line ?? null, column: at?.column ?? null, message };
}

/** The message for a single ajv error that is not part of a rule or a union. */
function describeError(error: ErrorObject, data: unknown): { pointer: string; message: string; preferKey?: boolean } {
  const pointer = error.instancePath;
  const path = pointerToPath(pointer);
  const schema = (error.parentSchema ?? {}) as SchemaNode;
  const value = valueAt(data, pointer);
  const hint = schema['x-hint'];
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      const child = schemaAtPointer(`${pointer}/${missing}`);
      const what = child?.description ? `: ${child.description.split('. ')[0].replace(/\.$/, '')}` : '';
      const where = pointer === '' ? '' : ` in ${path}`;
      return { pointer: `${pointer}/${missing}`, message: `missing required key "${missing}"${where}${what}` };
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(derefNode(schema).properties ?? {}).filter((key) => key !== '$schema');
      const suggestion = closestMatch(extra, allowed);
      const where = pointer === '' ? 'at the top level' : `in ${path}`;
      const fix = suggestion ? `did you mean "${suggestion}"?` : `allowed keys: ${allowed.join(', ')}`;
      return {
        pointer: `${pointer}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        message: `unknown key "${extra}" ${where}; ${fix}`,
        preferKey: true,
      };
    }
    case 'type': {
      const expected = String((error.params as { type: string | string[] }).type).split(',');
      return {
        pointer,
        message: `${path} must be ${expected.map(typeName).join(' or ')}; got ${showValue(pointer, value)}`,
      };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      return { pointer, message: `${path} must be one of ${literalList(allowed)}; got ${showValue(pointer, value)}` };
    }
    case 'const':
      return {
        pointer,
        message: `${path} must be ${literal((error.params as { allowedValue: unknown }).allowedValue)}; got ${showValue(pointer, value)}`,
      };
    case 'pattern':
      return {
        pointer,
        message: `${path} must be ${hint ?? `text matching ${schema.pattern}`}; got ${showValue(pointer, value)}`,
      };
    case 'minimum':
    case 'maximum':
      return {
        pointer,
        message:
          schema.minimum !== undefined && schema.maximum !== undefined
            ? `${path} must be between ${schema.minimum} and ${schema.maximum}; got ${showValue(pointer, value)}`
            : `${path} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String((error.params as { limit: number }).limit)}; got ${showValue(pointer, value)}`,
      };
    case 'minLength': {
      const limit = (error.params as { limit: number }).limit;
      return {
        pointer,
        message: limit === 1 ? `${path} must not be empty` : `${path} must be at least ${limit} characters long`,
      };
    }
    case 'maxLength':
      return {
        pointer,
        message: `${path} must be at most ${(error.params as { limit: number }).limit} characters long`,
      };
    case 'minItems': {
      const limit = (error.params as { limit: number }).limit;
      return {
        pointer,
        message: `${path} must list at least ${limit} item${limit === 1 ? '' : 's'}; remove the key or add ${limit === 1 ? 'one' : 'more'}`,
      };
    }
    case 'uniqueItems': {
      const { i, j } = error.params as { i: number; j: number };
      return {
        pointer: `${pointer}/${i}`,
        message: `${path} lists the same value twice (items ${j} and ${i}); remove one`,
      };
    }
    default:
      return { pointer, message: `${path} ${error.message ?? 'is invalid'}` };
  }
}

const RULE_PATH = /^#\/allOf\/(\d+)\//;
const UNION_PATH = /^(.*\/anyOf)\/(\d+)\//;

/**
 * Problems for a profile, from ajv's errors (allErrors mode):
 *  - errors inside a cross-field rule (root `allOf/N`) become that rule's single `x-message`;
 *  - errors inside a union (secret sources) become the closest branch's errors, or the
 *    union's `x-message` when no branch is clearly meant;
 *  - every other error is described on its own.
 */
export function describeProfileErrors(
  errors: readonly ErrorObject[],
  data: unknown,
  document?: JsonDocument,
): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const rulesSeen = new Set<number>();
  const unions = new Map<string, { instancePath: string; base: string; branches: Map<number, ErrorObject[]> }>();

  for (const error of errors) {
    const rule = RULE_PATH.exec(error.schemaPath);
    if (rule) {
      const index = Number(rule[1]);
      if (error.keyword === 'if' || rulesSeen.has(index)) continue;
      rulesSeen.add(index);
      const ruleSchema = profileSchema.allOf?.[index];
      const pointer = ruleSchema?.['x-pointer'] ?? error.instancePath;
      problems.push(
        problem(
          document,
          pointer,
          ruleSchema?.['x-message'] ?? `${pointerToPath(error.instancePath)} ${error.message ?? 'is invalid'}`,
        ),
      );
      continue;
    }
    if (error.keyword === 'anyOf') continue; // summarised below from its branches
    const union = UNION_PATH.exec(error.schemaPath);
    if (union) {
      const base = union[1];
      // Group by the union's instance: a branch error's instancePath may be deeper than the union's.
      const unionInstance = unionInstancePath(error, errors, base);
      const groupKey = `${unionInstance}|${base}`;
      let group = unions.get(groupKey);
      if (!group) {
        group = { instancePath: unionInstance, base, branches: new Map() };
        unions.set(groupKey, group);
      }
      const branch = Number(union[2]);
      group.branches.set(branch, [...(group.branches.get(branch) ?? []), error]);
      continue;
    }
    const described = describeError(error, data);
    problems.push(problem(document, described.pointer, described.message, described.preferKey));
  }

  for (const group of unions.values()) {
    const chosen = chooseUnionBranch(group.branches, group.instancePath, data);
    if (chosen) {
      for (const error of chosen) {
        const described = describeError(error, data);
        problems.push(problem(document, described.pointer, described.message, described.preferKey));
      }
    } else {
      const unionSchema = schemaAtPointer(group.instancePath);
      const message = unionSchema?.['x-message'] ?? 'is not one of the allowed forms';
      problems.push(problem(document, group.instancePath, `${pointerToPath(group.instancePath)}: ${message}`));
    }
  }

  return dedupe(problems);
}

/** The instance path of the `anyOf` that an error under `base` belongs to. */
function unionInstancePath(error: ErrorObject, errors: readonly ErrorObject[], base: string): string {
  const owner = errors.find(
    (e) => e.keyword === 'anyOf' && e.schemaPath === base && error.instancePath.startsWith(e.instancePath),
  );
  return owner?.instancePath ?? error.instancePath;
}

/**
 * The branch the author evidently meant: of the branches whose type matches the value, the one
 * with the fewest errors, if it is the only one with that count. A plain string in a secret
 * field matches no object branch and so gets the union's own message (no plaintext secrets).
 */
function chooseUnionBranch(
  branches: Map<number, ErrorObject[]>,
  instancePath: string,
  data: unknown,
): ErrorObject[] | undefined {
  const value = valueAt(data, instancePath);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const candidates = [...branches.values()].filter(
    (errs) => !errs.some((e) => e.instancePath === instancePath && (e.keyword === 'type' || e.keyword === 'const')),
  );
  if (candidates.length === 0) return undefined;
  const fewest = Math.min(...candidates.map((errs) => errs.length));
  const best = candidates.filter((errs) => errs.length === fewest);
  if (best.length !== 1) return undefined;
  // A branch that lacks its own key (env / file) is a guess, not a diagnosis.
  if (best[0].some((e) => e.instancePath === instancePath && e.keyword === 'required')) return undefined;
  return best[0];
}

function dedupe(problems: ProfileProblem[]): ProfileProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.pointer}\u0000${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
