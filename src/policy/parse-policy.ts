/**
 * One policy file's text -> a Policy, or every problem with line, column and the fix.
 * Order: DOCTYPE refused, well-formedness (XMLValidator, with line/column), the document
 * shape (policy-document.ts: ajv against schemas/policy.schema.json, so stray elements and
 * attributes are errors), then each <setting> against the catalog (check-policy-setting.ts).
 * Pure: no I/O (the bytes are read by load-policy-set.ts).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { checkSetting } from './check-policy-setting';
import { globProblem } from './glob';
import type { Policy, PolicyProblem, PolicySetting } from './policy';
import { describeEncoding, firstInvalidUtf8, SAVE_AS_UTF8, sha256Hex } from './policy-bytes';
import { describeDocumentError, policyDocumentValidator, POLICY_NAMESPACE } from './policy-document';
import { escapeCdataSections, decodeXmlText, PREDEFINED_ENTITIES, withoutCommentsAndCdata } from './xml-text';
import {
  lineStarts,
  positionAtPointer,
  positionInLines,
  positionOfOffset,
  scanXmlPositions,
  type XmlPosition,
} from './xml-positions';

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
    if (match[1] in PREDEFINED_ENTITIES) continue;
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
  const validate = policyDocumentValidator();
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
