/**
 * One policy file's text -> a Policy, or every problem with line, column and the fix.
 * Order: DOCTYPE refused, well-formedness (XMLValidator, with line/column), the document
 * shape (ajv against schemas/policy.schema.json, so stray elements and attributes are
 * errors), then each <setting> against the catalog. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import { loadAjv2020 } from '../session/profile-schema';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readSchemaFile } from '../package-root';
import { closestMatch } from '../text/closest-match';
import { findSetting } from '../session/settings-catalog';
import type { EnforceKind } from '../session/resolution';
import { globProblem } from './glob';
import { coerceValue, policyCatalog } from './policy-catalog';
import type { Policy, PolicyProblem, PolicySetting } from './policy';
import { positionAtPointer, scanXmlPositions, type XmlPosition } from './xml-positions';

export const POLICY_NAMESPACE = 'urn:ftpsctl:policy:1';

/** What fast-xml-parser gives for a valid document (checked by the policy schema). */
interface PolicyDocument {
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

export interface ParsedPolicy {
  policy?: Policy;
  problems: PolicyProblem[];
  /** Known even when the file has problems, if it got that far (for failing closed on just the sessions it covers). */
  name?: string;
  appliesTo?: Policy['appliesTo'];
  sha256: string;
}

const ARRAY_PATHS = new Set(['policy.setting', 'policy.setting.value', 'policy.appliesTo.profile', 'policy.appliesTo.host']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  processEntities: false, // no entity expansion at all; the five predefined ones are decoded below
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: false,
  ignorePiTags: true,
  commentPropName: false,
  isArray: (_name, jpath) => ARRAY_PATHS.has(String(jpath)),
});

let policyValidator: ValidateFunction<PolicyDocument> | undefined;

/** Written by `npm run build` (scripts/build-validator.ts), like the profile validator. */
export const POLICY_VALIDATOR_FILE = path.join(__dirname, 'policy-validator.standalone.js');

/** Admin files: allErrors, so one run lists every problem. */
export function createPolicyAjv(options: { source?: boolean } = {}): InstanceType<ReturnType<typeof loadAjv2020>> {
  const ajv = new (loadAjv2020())({ strict: true, allErrors: true, verbose: true, code: { source: options.source ?? false } });
  ajv.addKeyword({ keyword: 'x-hint', metaSchema: { type: 'string' } });
  return ajv;
}

/** The policy document schema (`schemas/policy.schema.json`), read once when first asked for. */
let policySchemaJson: object | undefined;
export function policyDocumentSchema(): object {
  return (policySchemaJson ??= readSchemaFile('policy.schema.json'));
}

function validatePolicyDocument(): ValidateFunction<PolicyDocument> {
  if (!policyValidator) {
    policyValidator = existsSync(POLICY_VALIDATOR_FILE)
      ? // eslint-disable-next-line @typescript-eslint/no-require-imports -- a build artefact found at run time
        (require(POLICY_VALIDATOR_FILE) as ValidateFunction<PolicyDocument>)
      : createPolicyAjv().compile<PolicyDocument>(policyDocumentSchema());
  }
  return policyValidator;
}

export function sha256Hex(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function parsePolicyText(text: string, file: string, sha256 = sha256Hex(text)): ParsedPolicy {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // a BOM is legal XML
  const problems: PolicyProblem[] = [];
  const at = (position: XmlPosition | undefined, message: string): void => {
    problems.push({ file, line: position?.line ?? 1, column: position?.column ?? 1, message });
  };
  if (body.trim() === '') {
    at(undefined, `the file is empty; a policy starts with <policy xmlns="${POLICY_NAMESPACE}" name="..." scope="machine" priority="100">`);
    return { problems, sha256 };
  }

  const scan = scanXmlPositions(body);
  if (scan.doctype) {
    at(scan.doctype, 'a DOCTYPE is not allowed in a policy file (no DTDs, no entities); remove it');
    return { problems, sha256 };
  }
  const wellFormed = XMLValidator.validate(body, { allowBooleanAttributes: false });
  if (wellFormed !== true) {
    at({ line: wellFormed.err.line, column: wellFormed.err.col }, `not well-formed XML: ${wellFormed.err.msg}`);
    return { problems, sha256 };
  }

  // Entities are never expanded; anything but the predefined five and character references is a mistake.
  for (const match of withoutCommentsAndCdata(body).matchAll(/&([A-Za-z_][\w.-]*);/g)) {
    if (!(match[1] in PREDEFINED)) at(positionOfOffset(body, match.index ?? 0), `unknown entity &${match[1]}; (policy files have no entities): write the character itself, or &amp; &lt; &gt; &quot; &apos;`);
  }
  if (problems.length > 0) return { problems, sha256 };

  const document: unknown = parser.parse(escapeCdataSections(body));
  const validate = validatePolicyDocument();
  const identity = identityOf(document);
  if (!validate(document)) {
    const errors = validate.errors ?? [];
    // An unknown root element already says what the root must be; its `required` twin adds nothing.
    const unknownRoot = errors.some((e) => e.keyword === 'additionalProperties' && e.instancePath === '');
    for (const error of errors) {
      if (unknownRoot && error.keyword === 'required' && error.instancePath === '') continue;
      const described = describeDocumentError(error);
      if (described) at(positionAtPointer(scan, described.pointer), described.message);
    }
    return { problems: sortProblems(problems), sha256, ...identity };
  }

  const root = document.policy;
  const appliesTo = { profiles: (root.appliesTo?.profile ?? []).map(decodeXmlText), hosts: (root.appliesTo?.host ?? []).map(decodeXmlText) };
  appliesTo.profiles.forEach((glob, i) => {
    const problem = globProblem(glob, 'profile');
    if (problem) at(positionAtPointer(scan, `/policy/appliesTo/profile/${i}`), `<profile> glob "${glob}" ${problem}`);
  });
  appliesTo.hosts.forEach((glob, i) => {
    const problem = globProblem(glob, 'host');
    if (problem) at(positionAtPointer(scan, `/policy/appliesTo/host/${i}`), `<host> glob "${glob}" ${problem}`);
  });
  const appliesToProblems = problems.length;

  const settings: PolicySetting[] = [];
  const seen = new Map<string, XmlPosition>();
  (root.setting ?? []).forEach((element, index) => {
    const pointer = `/policy/setting/${index}`;
    const position = positionAtPointer(scan, pointer) ?? { line: 1, column: 1 };
    const setting = checkSetting(
      element,
      (attribute) => positionAtPointer(scan, `${pointer}/@_${attribute}`) ?? position,
      (valueIndex) => positionAtPointer(scan, `${pointer}/value/${valueIndex}`) ?? position,
      at,
    );
    if (!setting) return;
    const key = `${setting.path}\u0000${setting.enforce}`;
    const first = seen.get(key);
    if (first) {
      at(position, `${setting.path} has enforce="${setting.enforce}" twice in this policy (first at line ${first.line}); keep one`);
      return;
    }
    const clash = setting.enforce === 'mandatory' ? 'recommended' : setting.enforce === 'recommended' ? 'mandatory' : undefined;
    const other = clash && seen.get(`${setting.path}\u0000${clash}`);
    if (other) {
      at(position, `${setting.path} is both ${clash} (line ${other.line}) and ${setting.enforce} in this policy; keep one`);
      return;
    }
    seen.set(key, position);
    settings.push({ ...setting, line: position.line, column: position.column });
  });

  // A bad glob matches nothing: keeping appliesTo would make this failure refuse no session at all.
  const appliesToValid = appliesToProblems === 0;
  if (problems.length > 0) return { problems: sortProblems(problems), sha256, name: root['@_name'], ...(appliesToValid ? { appliesTo } : {}) };
  const namePosition = positionAtPointer(scan, '/policy/@_name') ?? { line: 1, column: 1 };
  const policy: Policy = {
    name: root['@_name'],
    line: namePosition.line,
    column: namePosition.column,
    scope: root['@_scope'],
    priority: Number(root['@_priority']),
    appliesTo,
    settings,
    file,
    sha256,
  };
  if (root.description !== undefined) policy.description = decodeXmlText(root.description);
  return { policy, problems, sha256, name: policy.name, appliesTo };
}

/** The policy's name and applicability if those parts are valid, even when other parts are not. */
function identityOf(document: unknown): Pick<ParsedPolicy, 'name' | 'appliesTo'> {
  const root = (document as { policy?: Record<string, unknown> } | undefined)?.policy;
  if (!root || typeof root !== 'object') return {};
  const name = typeof root['@_name'] === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(root['@_name']) ? root['@_name'] : undefined;
  const applies = root.appliesTo as { profile?: unknown; host?: unknown } | undefined;
  const strings = (value: unknown): string[] | undefined => (value === undefined ? [] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined);
  if (applies !== undefined && (typeof applies !== 'object' || applies === null)) return name ? { name } : {};
  const profiles = strings(applies?.profile);
  const hosts = strings(applies?.host);
  if (!profiles || !hosts || [...profiles.map((g) => globProblem(g, 'profile')), ...hosts.map((g) => globProblem(g, 'host'))].some(Boolean)) return name ? { name } : {};
  return { ...(name ? { name } : {}), appliesTo: { profiles, hosts } };
}

type Reporter = (position: XmlPosition | undefined, message: string) => void;

function checkSetting(
  element: NonNullable<PolicyDocument['policy']['setting']>[number],
  attributeAt: (attribute: string) => XmlPosition,
  valueAt: (index: number) => XmlPosition,
  at: Reporter,
): Omit<PolicySetting, 'line' | 'column'> | undefined {
  const catalog = policyCatalog();
  const path = element['@_path'];
  const enforce = element['@_enforce'];
  const entry = catalog.get(path);
  if (!entry && findSetting(path)) {
    at(attributeAt('path'), `${path} is a profile setting that policies do not manage; see "Policy can enforce" in the settings reference (README.md)`);
    return undefined;
  }
  if (!entry) {
    const suggestion = closestMatch(path, catalog.keys());
    at(attributeAt('path'), `unknown setting path "${path}"; ${suggestion ? `did you mean "${suggestion}"?` : 'see the settings reference in README.md for the paths a policy can manage'}`);
    return undefined;
  }
  if (!entry.enforce.includes(enforce)) {
    at(attributeAt('enforce'), `${path} does not accept enforce="${enforce}"; it accepts ${entry.enforce.join(', ')}`);
    return undefined;
  }
  const texts = element.value ? element.value.map(decodeXmlText) : element['#text'] !== undefined ? [decodeXmlText(element['#text'])] : [];
  if (element.value && element['#text'] !== undefined) {
    at(attributeAt('path'), `<setting path="${path}"> has both text and <value> elements; use one form`);
    return undefined;
  }
  if (enforce === 'allow' || enforce === 'deny') {
    if (!element.value || element.value.length === 0) {
      at(attributeAt('enforce'), `${enforce === 'allow' ? 'an' : 'a'} ${enforce} list needs one or more <value> elements, e.g. <value>*.corp.example</value>`);
      return undefined;
    }
    const badIndex = texts.findIndex((glob) => globProblem(glob, 'host') !== undefined);
    if (badIndex >= 0) {
      at(valueAt(badIndex), `${path} ${enforce} glob "${texts[badIndex]}" ${globProblem(texts[badIndex], 'host') ?? ''}`);
      return undefined;
    }
    return { path, enforce, globs: texts };
  }
  const coerced = coerceValue(entry, texts);
  if ('problem' in coerced) {
    at(attributeAt('path'), coerced.problem);
    return undefined;
  }
  return { path, enforce, value: coerced.value };
}

function elementName(token: string): string {
  return token.startsWith('@_') ? token.slice(2) : token;
}

/** A pointer's element chain for messages: `/policy/setting/2/@_enforce` -> `<setting>`. */
function ownerElement(pointer: string): string {
  const tokens = pointer.split('/').slice(1).filter((t) => !/^\d+$/.test(t) && !t.startsWith('@_') && t !== '#text');
  return tokens.length ? `<${tokens[tokens.length - 1]}>` : 'the document';
}

function describeDocumentError(error: ErrorObject): { pointer: string; message: string } | undefined {
  const pointer = error.instancePath;
  const owner = ownerElement(pointer);
  const schema = (error.parentSchema ?? {}) as { properties?: Record<string, unknown>; 'x-hint'?: string };
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      if (pointer === '') return { pointer, message: `the root element must be <policy xmlns="${POLICY_NAMESPACE}" name="..." scope="machine|user" priority="N">` };
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
      const candidates = allowed.filter((key) => key.startsWith('@_') === isAttribute && key !== '?xml' && key !== '#text').map(elementName);
      const suggestion = closestMatch(elementName(extra), candidates);
      if (pointer === '') return { pointer: `/${extra}`, message: `unknown root element <${extra}>; the root element must be <policy xmlns="${POLICY_NAMESPACE}">` };
      if (extra === '#text') return { pointer, message: `${owner} must not contain text here` };
      const what = isAttribute ? `attribute "${elementName(extra)}" on ${owner}` : `element <${extra}> in ${owner}`;
      const fix = suggestion ? `did you mean ${isAttribute ? `"${suggestion}"` : `<${suggestion}>`}?` : `allowed: ${candidates.map((c) => (isAttribute ? c : `<${c}>`)).join(', ') || 'none'}`;
      return { pointer: isAttribute ? `${pointer}/${extra}` : `${pointer}/${extra}`, message: `unknown ${what}; ${fix}` };
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
      return { pointer, message: '<appliesTo> lists nothing; add <profile> or <host> globs, or remove it to apply to every session' };
    case 'type': {
      const expected = (error.params as { type: string }).type;
      if (expected === 'object' && pointer.endsWith('/appliesTo')) {
        return { pointer, message: '<appliesTo> lists nothing; add <profile> or <host> globs, or remove it to apply to every session' };
      }
      if (expected === 'object' && /\/setting\/\d+$/.test(pointer)) return { pointer, message: '<setting> needs the attributes path="..." and enforce="..."' };
      if (expected === 'object' && pointer === '/policy') return { pointer, message: `<policy> needs the attributes xmlns="${POLICY_NAMESPACE}", name, scope and priority` };
      if (expected === 'string') return { pointer, message: `${owner} must contain only text` };
      if (expected === 'array') return { pointer, message: `${owner} appears in the wrong place` };
      return { pointer, message: `${owner} must be ${expected}` };
    }
    default:
      return { pointer, message: `${owner} ${error.message ?? 'is invalid'}` };
  }
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes XML's predefined entities and character references; no other entity exists here. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return PREDEFINED[name] ?? whole;
  });
}

const COMMENT_OR_CDATA = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>/g;

/** The text with comments and CDATA blanked out, offsets kept (for scanning markup only). */
function withoutCommentsAndCdata(text: string): string {
  return text.replace(COMMENT_OR_CDATA, (whole) => whole.replace(/[^\n]/g, ' '));
}

/** CDATA is literal text: escape it, so decoding the parsed text later gives back exactly its characters. */
function escapeCdataSections(text: string): string {
  return text.replace(COMMENT_OR_CDATA, (whole, cdata: string | undefined) =>
    cdata === undefined ? whole : cdata.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}

function positionOfOffset(text: string, offset: number): XmlPosition {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

function sortProblems(problems: PolicyProblem[]): PolicyProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.line}:${p.column}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}


