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
import { loadAjv2020 } from '../settings/profile-schema';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readSchemaFile } from '../settings/package-root';
import { closestMatch } from '../text/closest-match';
import { findSetting } from '../settings/settings-catalog';
import { globProblem } from './glob';
import { coerceValue, policyCatalog } from './policy-catalog';
import type { EnforceKind, Policy, PolicyProblem, PolicySetting } from './policy';
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

const ARRAY_PATHS = new Set([
  'policy.setting',
  'policy.setting.value',
  'policy.appliesTo.profile',
  'policy.appliesTo.host',
]);

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
  const ajv = new (loadAjv2020())({
    strict: true,
    allErrors: true,
    verbose: true,
    code: { source: options.source ?? false },
  });
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

/**
 * A policy file's bytes -> ParsedPolicy. Policy files are UTF-8 (a UTF-8 BOM is allowed); a
 * UTF-16 or UTF-32 file (by its BOM, or by the NUL bytes of ASCII text in it) and any other
 * byte sequence that is not UTF-8 is one problem with the fix ("save it as UTF-8"), never
 * mojibake parsed as XML. The SHA-256 is of the bytes as read.
 */
export function parsePolicyBytes(bytes: Buffer, file: string): ParsedPolicy {
  const sha256 = sha256Hex(bytes);
  const encoding = describeEncoding(bytes);
  if (encoding) return { problems: [{ file, line: 1, column: 1, message: encoding }], sha256 };
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const position = positionOfOffset(bytes.subarray(0, bad).toString('utf8'), Number.MAX_SAFE_INTEGER);
    return {
      problems: [
        {
          file,
          ...position,
          message: `is not valid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, '0')} at byte offset ${bad}); ${SAVE_AS_UTF8}`,
        },
      ],
      sha256,
    };
  }
  return parsePolicyText(bytes.toString('utf8'), file, sha256);
}

const SAVE_AS_UTF8 =
  'policy files are UTF-8: save it as UTF-8 (Notepad: Save As, Encoding "UTF-8"; iconv -f UTF-16 -t UTF-8 FILE)';

/** A non-UTF-8 Unicode encoding recognised by its byte order mark or by NULs between ASCII bytes. */
function describeEncoding(bytes: Buffer): string | undefined {
  const b = (i: number): number => (i < bytes.length ? bytes[i] : -1);
  let name: string | undefined;
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0)
    name = 'UTF-32 little-endian (byte order mark FF FE 00 00)';
  else if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff)
    name = 'UTF-32 big-endian (byte order mark 00 00 FE FF)';
  else if (b(0) === 0xff && b(1) === 0xfe) name = 'UTF-16 little-endian (byte order mark FF FE)';
  else if (b(0) === 0xfe && b(1) === 0xff) name = 'UTF-16 big-endian (byte order mark FE FF)';
  else if (b(0) === 0x3c && b(1) === 0 && b(2) === 0 && b(3) === 0) name = 'UTF-32 little-endian (no byte order mark)';
  else if (b(0) === 0 && b(1) === 0 && b(2) === 0 && b(3) === 0x3c) name = 'UTF-32 big-endian (no byte order mark)';
  else if (b(0) === 0x3c && b(1) === 0) name = 'UTF-16 little-endian (no byte order mark)';
  else if (b(0) === 0 && b(1) === 0x3c) name = 'UTF-16 big-endian (no byte order mark)';
  return name ? `is encoded as ${name}, not UTF-8; ${SAVE_AS_UTF8}` : undefined;
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (next & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** XML 1.0 names that fast-xml-parser refuses to build (prototype pollution); policies never use them. */
const RESERVED_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/** At most this many unknown-entity problems are listed one by one. */
const MAX_ENTITY_PROBLEMS = 20;

/**
 * At most this many problems are listed per file (a 19,000-setting file with a typo on every
 * line gets 100 lines and a count, not 19,000 "did you mean" searches).
 */
export const MAX_LISTED_PROBLEMS = 100;

export function parsePolicyText(text: string, file: string, sha256 = sha256Hex(text)): ParsedPolicy {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text; // a BOM is legal XML
  const problems: PolicyProblem[] = [];
  let unlisted = 0;
  const at = (position: XmlPosition | undefined, message: string): void => {
    if (problems.length >= MAX_LISTED_PROBLEMS) unlisted++;
    else problems.push({ file, line: position?.line ?? 1, column: position?.column ?? 1, message });
  };
  /** The listed problems in order, and a last line counting those not listed. */
  const listed = (): PolicyProblem[] => {
    const sorted = sortProblems(problems);
    return unlisted > 0
      ? [
          ...sorted,
          {
            file,
            line: 1,
            column: 1,
            message: `${unlisted} more problems not listed (at most ${MAX_LISTED_PROBLEMS} are); fix these and run again`,
          },
        ]
      : sorted;
  };
  if (body.trim() === '') {
    at(
      undefined,
      `the file is empty; a policy starts with <policy xmlns="${POLICY_NAMESPACE}" name="..." scope="machine" priority="100">`,
    );
    return { problems, sha256 };
  }
  const nul = body.indexOf('\u0000');
  if (nul >= 0) {
    // XML has no U+0000; NULs between characters are what UTF-16 or UTF-32 read as UTF-8 looks like.
    at(
      positionOfOffset(body, nul),
      `contains NUL characters: it is probably UTF-16 or UTF-32, not UTF-8; ${SAVE_AS_UTF8}`,
    );
    return { problems, sha256 };
  }

  const scan = scanXmlPositions(body);
  if (scan.doctype) {
    at(scan.doctype, 'a DOCTYPE is not allowed in a policy file (no DTDs, no entities); remove it');
    return { problems, sha256 };
  }
  if (scan.tooDeep) {
    at(
      scan.tooDeep,
      `elements are nested more than ${scan.tooDeep.maxDepth} levels deep here; a policy is at most 3 levels deep (<policy>, <setting>, <value>): remove the nested markup`,
    );
    return { problems, sha256 };
  }
  const wellFormed = XMLValidator.validate(body, { allowBooleanAttributes: false });
  if (wellFormed !== true) {
    at({ line: wellFormed.err.line, column: wellFormed.err.col }, `not well-formed XML: ${wellFormed.err.msg}`);
    return { problems, sha256 };
  }
  for (const element of scan.elements) {
    if (RESERVED_NAMES.has(element.name) || RESERVED_NAMES.has(element.qualifiedName)) {
      at(
        element,
        `unknown element <${element.qualifiedName}>; a policy has only <policy>, <description>, <appliesTo>, <profile>, <host>, <setting> and <value>: remove it`,
      );
    }
    for (const [name, position] of Object.entries(element.attributes)) {
      if (RESERVED_NAMES.has(name))
        at(position, `unknown attribute "${name}" on <${element.qualifiedName}>; remove it`);
    }
  }
  if (problems.length > 0) return { problems: sortProblems(problems), sha256 };

  // Entities are never expanded; anything but the predefined five and character references is a mistake.
  const lines = lineStarts(body);
  let unknownEntities = 0;
  for (const match of withoutCommentsAndCdata(body).matchAll(/&([A-Za-z_][\w.-]*);/g)) {
    if (match[1] in PREDEFINED) continue;
    if (++unknownEntities <= MAX_ENTITY_PROBLEMS) {
      at(
        positionInLines(lines, match.index ?? 0),
        `unknown entity &${match[1]}; (policy files have no entities): write the character itself, or &amp; &lt; &gt; &quot; &apos;`,
      );
    }
  }
  if (unknownEntities > MAX_ENTITY_PROBLEMS)
    at(undefined, `${unknownEntities - MAX_ENTITY_PROBLEMS} more unknown entities not listed`);
  if (problems.length > 0) return { problems, sha256 };

  let document: unknown;
  try {
    document = parser.parse(escapeCdataSections(body));
  } catch (error) {
    // Checked above, so not expected; still a problem with the file named, never a stack trace.
    at(undefined, `cannot be parsed as a policy: ${error instanceof Error ? error.message : String(error)}`);
    return { problems, sha256 };
  }
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
    return { problems: listed(), sha256, ...identity };
  }

  const root = document.policy;
  const appliesTo = {
    profiles: (root.appliesTo?.profile ?? []).map(decodeXmlText),
    hosts: (root.appliesTo?.host ?? []).map(decodeXmlText),
  };
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
      () => problems.length < MAX_LISTED_PROBLEMS,
    );
    if (!setting) return;
    const key = `${setting.path}\u0000${setting.enforce}`;
    const first = seen.get(key);
    if (first) {
      at(
        position,
        `${setting.path} has enforce="${setting.enforce}" twice in this policy (first at line ${first.line}); keep one`,
      );
      return;
    }
    const clash =
      setting.enforce === 'mandatory' ? 'recommended' : setting.enforce === 'recommended' ? 'mandatory' : undefined;
    const other = clash && seen.get(`${setting.path}\u0000${clash}`);
    if (other) {
      at(
        position,
        `${setting.path} is both ${clash} (line ${other.line}) and ${setting.enforce} in this policy; keep one`,
      );
      return;
    }
    seen.set(key, position);
    settings.push({ ...setting, line: position.line, column: position.column });
  });

  // A bad glob matches nothing: keeping appliesTo would make this failure refuse no session at all.
  const appliesToValid = appliesToProblems === 0;
  if (problems.length > 0)
    return { problems: listed(), sha256, name: root['@_name'], ...(appliesToValid ? { appliesTo } : {}) };
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
  const name =
    typeof root['@_name'] === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(root['@_name'])
      ? root['@_name']
      : undefined;
  const applies = root.appliesTo as { profile?: unknown; host?: unknown } | undefined;
  const strings = (value: unknown): string[] | undefined =>
    value === undefined ? [] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  if (applies !== undefined && (typeof applies !== 'object' || applies === null)) return name ? { name } : {};
  const profiles = strings(applies?.profile);
  const hosts = strings(applies?.host);
  if (
    !profiles ||
    !hosts ||
    [...profiles.map((g) => globProblem(g, 'profile')), ...hosts.map((g) => globProblem(g, 'host'))].some(Boolean)
  )
    return name ? { name } : {};
  return { ...(name ? { name } : {}), appliesTo: { profiles, hosts } };
}

type Reporter = (position: XmlPosition | undefined, message: string) => void;

function checkSetting(
  element: NonNullable<PolicyDocument['policy']['setting']>[number],
  attributeAt: (attribute: string) => XmlPosition,
  valueAt: (index: number) => XmlPosition,
  at: Reporter,
  listing: () => boolean,
): Omit<PolicySetting, 'line' | 'column'> | undefined {
  const catalog = policyCatalog();
  const path = element['@_path'];
  const enforce = element['@_enforce'];
  const entry = catalog.get(path);
  if (!entry && findSetting(path)) {
    at(
      attributeAt('path'),
      `${path} is a profile setting that policies do not manage; see "Policy can enforce" in the settings reference (README.md)`,
    );
    return undefined;
  }
  if (!entry) {
    const suggestion = listing() ? closestMatch(path, catalog.keys()) : undefined; // unlisted: no search
    at(
      attributeAt('path'),
      `unknown setting path "${path}"; ${suggestion ? `did you mean "${suggestion}"?` : 'see the settings reference in README.md for the paths a policy can manage'}`,
    );
    return undefined;
  }
  if (!entry.enforce.includes(enforce)) {
    at(attributeAt('enforce'), `${path} does not accept enforce="${enforce}"; it accepts ${entry.enforce.join(', ')}`);
    return undefined;
  }
  const texts = element.value
    ? element.value.map(decodeXmlText)
    : element['#text'] !== undefined
      ? [decodeXmlText(element['#text'])]
      : [];
  if (element.value && element['#text'] !== undefined) {
    at(attributeAt('path'), `<setting path="${path}"> has both text and <value> elements; use one form`);
    return undefined;
  }
  if (enforce === 'allow' || enforce === 'deny') {
    if (!element.value || element.value.length === 0) {
      at(
        attributeAt('enforce'),
        `${enforce === 'allow' ? 'an' : 'a'} ${enforce} list needs one or more <value> elements, e.g. <value>*.corp.example</value>`,
      );
      return undefined;
    }
    const badIndex = texts.findIndex((glob) => globProblem(glob, 'host', path) !== undefined);
    if (badIndex >= 0) {
      at(
        valueAt(badIndex),
        `${path} ${enforce} glob "${texts[badIndex]}" ${globProblem(texts[badIndex], 'host', path) ?? ''}`,
      );
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
  const tokens = pointer
    .split('/')
    .slice(1)
    .filter((t) => !/^\d+$/.test(t) && !t.startsWith('@_') && t !== '#text');
  return tokens.length ? `<${tokens[tokens.length - 1]}>` : 'the document';
}

function describeDocumentError(error: ErrorObject): { pointer: string; message: string } | undefined {
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
  return positionInLines(lineStarts(text), Math.min(offset, text.length));
}

/** The offset where each line starts (for many positions in one text: one pass, then binary search). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionInLines(starts: readonly number[], offset: number): XmlPosition {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
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
