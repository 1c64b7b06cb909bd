/**
 * The session profile schema and its compiled validator. The schema file is the single
 * source of truth for settings: validation, generated types, defaults, the settings
 * reference and (later) the policy catalog all read it.
 */
import type { ValidateFunction } from 'ajv/dist/2020';
import { readSchemaFile } from './package-root';
import { createProfileAjv, loadStandaloneValidator, STANDALONE_VALIDATOR_FILES } from './schema-validators';
import type { SessionProfile } from './generated/session-profile';

const profileSchemaJson = readSchemaFile('session-profile.schema.json');

/** A JSON Schema node as far as ftpsctl reads it (annotations included). */
export interface SchemaNode {
  $ref?: string;
  title?: string;
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  items?: SchemaNode;
  required?: string[];
  properties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  allOf?: SchemaNode[];
  $defs?: Record<string, SchemaNode>;
  'x-policy'?: PolicyAnnotation;
  'x-message'?: string;
  'x-pointer'?: string;
  'x-hint'?: string;
  'x-default'?: string;
}

/** Which enforcement kinds a policy may use on a setting, and the order of its values (least to most secure). */
export interface PolicyAnnotation {
  enforce: Array<'mandatory' | 'recommended' | 'floor' | 'ceiling' | 'allow' | 'deny'>;
  order?: unknown[] | 'numeric';
  /** Numeric settings: which way is more secure, for ties between equal-rank mandates (issue 10). Absent: neither is called more secure. */
  secure?: 'lower' | 'higher';
}

export const profileSchema = profileSchemaJson as unknown as SchemaNode;
export const profileSchemaId = (profileSchemaJson as { $id: string }).$id;

let compiled: ValidateFunction<SessionProfile> | undefined;

/** The profile validator, loaded or compiled once on first use (not at start-up: `--version` stays fast). */
export function profileValidator(): ValidateFunction<SessionProfile> {
  compiled ??=
    loadStandaloneValidator<ValidateFunction<SessionProfile>>(STANDALONE_VALIDATOR_FILES.profile) ??
    createProfileAjv().compile<SessionProfile>(profileSchemaJson);
  return compiled;
}

/** Follows a local `$ref` (`#/$defs/x`) and merges the referring node's own keywords over it. */
export function derefNode(node: SchemaNode, root: SchemaNode = profileSchema): SchemaNode {
  if (!node.$ref) return node;
  const target = resolveLocalRef(node.$ref, root);
  const { $ref: _ref, ...own } = node;
  return { ...derefNode(target, root), ...own };
}

function resolveLocalRef(ref: string, root: SchemaNode): SchemaNode {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = root;
  for (const token of ref.slice(2).split('/')) {
    node = (node as Record<string, unknown>)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`dangling $ref ${ref}`);
  }
  return node as SchemaNode;
}

/** The schema node that describes the value at a JSON pointer in a profile, if any. */
export function schemaAtPointer(pointer: string, root: SchemaNode = profileSchema): SchemaNode | undefined {
  let node: SchemaNode | undefined = derefNode(root, root);
  for (const token of pointer.split('/').slice(1)) {
    if (!node) return undefined;
    if (node.properties) node = node.properties[token] ? derefNode(node.properties[token], root) : undefined;
    else if (node.items) node = derefNode(node.items, root);
    else return undefined;
  }
  return node;
}
