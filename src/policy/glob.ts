/**
 * Globs of policy files (`*.corp.example`, `payroll-*`): `*` matches any run of characters,
 * `?` one character, everything else itself, case-insensitively. Also decides, exactly, whether
 * two globs can match a common name and whether one glob covers another; the set checks use
 * these to find allow lists that leave nothing allowed. Host rules may also be an IP address or
 * a CIDR block (host-pattern.ts).
 */
import { parseHostPattern } from './host-pattern';

interface CompiledGlob {
  /** The glob split at each `*`, lower-cased: the first part anchors the start, the last the end. */
  parts: string[];
  star: boolean;
}

const compiled = new Map<string, CompiledGlob>();

function compile(glob: string): CompiledGlob {
  let result = compiled.get(glob);
  if (!result) {
    const parts = glob.toLowerCase().split('*');
    result = { parts, star: parts.length > 1 };
    compiled.set(glob, result);
  }
  return result;
}

/** `part` (with `?` as any one character) at `text[at...]`. */
function partAt(part: string, text: string, at: number): boolean {
  if (at + part.length > text.length) return false;
  for (let i = 0; i < part.length; i++) if (part[i] !== '?' && part[i] !== text[at + i]) return false;
  return true;
}

/** The first place in [from, end) where `part` fits whole, or -1. */
function findPart(part: string, text: string, from: number, end: number): number {
  for (let at = from; at + part.length <= end; at++) if (partAt(part, text, at)) return at;
  return -1;
}

/**
 * Whether `name` matches `glob`, case-insensitively. No backtracking: the parts between stars
 * are found left to right at their first place (taking the first fit never loses a match when
 * the only wildcards are `*` and `?`), so the cost is at most |glob| x |name| character
 * comparisons whatever the number of stars (a regular expression backtracks exponentially).
 */
export function globMatches(glob: string, name: string, options: { caseSensitive?: boolean } = {}): boolean {
  const { parts, star } = options.caseSensitive ? { parts: glob.split('*'), star: glob.includes('*') } : compile(glob);
  const text = options.caseSensitive ? name : name.toLowerCase();
  if (!star) return parts[0].length === text.length && partAt(parts[0], text, 0);
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (
    first.length + last.length > text.length ||
    !partAt(first, text, 0) ||
    !partAt(last, text, text.length - last.length)
  )
    return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i];
    if (part === '') continue;
    const found = findPart(part, text, at, end);
    if (found < 0) return false;
    at = found + part.length;
  }
  return true;
}

export function matchesAny(globs: readonly string[], name: string): boolean {
  return globs.some((glob) => globMatches(glob, name));
}

/** True when some name matches both globs (product of the two automata, by memoised search). */
export function globsIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const memo = new Map<number, boolean>();
  const step = (i: number, j: number): boolean => {
    const key = i * (y.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    memo.set(key, false); // cycles (star against star) add nothing new
    let result: boolean;
    if (i === x.length && j === y.length) result = true;
    // A star matches nothing more, or absorbs the other side's next character (or star).
    else if (x[i] === '*') result = step(i + 1, j) || (j < y.length && step(i, j + 1));
    else if (y[j] === '*') result = step(i, j + 1) || (i < x.length && step(i + 1, j));
    else if (i === x.length || j === y.length) result = false;
    else result = (x[i] === y[j] || x[i] === '?' || y[j] === '?') && step(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return step(0, 0);
}

/**
 * True when every name `inner` matches is also matched by `outer` (inner ⊆ outer). A `*` of
 * `inner` stands for any text, so only a `*` of `outer` may absorb it.
 */
export function globCovers(outer: string, inner: string): boolean {
  const o = outer.toLowerCase();
  const n = inner.toLowerCase();
  const memo = new Map<number, boolean>();
  const step = (i: number, j: number): boolean => {
    const key = i * (n.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (i === o.length) result = j === n.length;
    else if (o[i] === '*') result = step(i + 1, j) || (j < n.length && step(i, j + 1));
    else if (j === n.length || n[j] === '*') result = false;
    else if (o[i] === '?') result = step(i + 1, j + 1);
    else result = n[j] !== '?' && o[i] === n[j] && step(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return step(0, 0);
}

const HOST_GLOB = /^[A-Za-z0-9*?][A-Za-z0-9.*?:-]*$/;
const CIDR = /^[0-9A-Fa-fx.:]+\/\d+$/;
const PROFILE_GLOB = /^[A-Za-z0-9*?][A-Za-z0-9._*?-]*$/;

/** Allow/deny values of settings that are not hosts: what each may be (`settingPath` -> check). */
const VALUE_RULES: Record<string, (value: string) => string | undefined> = {
  port: portRule,
  'proxy.port': portRule,
  user: (v) => (/^\S+$/.test(v) && !v.includes('\0') ? undefined : 'is not a user-name glob (no white space)'),
  'tls.pki.caFile': pathRule,
  'proxy.caFile': pathRule,
  'tls.pki.pinnedSha256': (v) =>
    /^[0-9A-Fa-f:*?]+$/.test(v) ? undefined : 'is not a SHA-256 fingerprint (hex digits, ":" between bytes)',
  'tls.pki.pinnedPublicKeySha256': (v) =>
    /^sha256\/\/[A-Za-z0-9+/]{43}=$/.test(v)
      ? undefined
      : 'is not a public key pin (sha256// and 44 base64 characters)',
};

function portRule(value: string): string | undefined {
  const range = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(value);
  if (value === '*') return undefined;
  if (
    !range ||
    Number(range[1]) < 1 ||
    Number(range[2] ?? range[1]) > 65535 ||
    Number(range[2] ?? range[1]) < Number(range[1])
  )
    return 'is not a port (1 to 65535) or a port range (990, 1000-1100)';
  return undefined;
}

function pathRule(value: string): string | undefined {
  return /^(\/|[A-Za-z]:\\)/.test(value) && !value.includes('\0')
    ? undefined
    : 'is not an absolute file path (globs * and ? allowed): a policy names trust anchors by where they are installed';
}

/** Why a glob is not acceptable, or undefined when it is. `settingPath`: the setting of an allow/deny list. */
export function globProblem(glob: string, kind: 'host' | 'profile', settingPath?: string): string | undefined {
  const rule = settingPath ? VALUE_RULES[settingPath] : undefined;
  if (rule) return glob.trim() === '' ? 'is empty' : rule(glob);
  if (glob.trim() === '') return 'is empty; use "*" to match every name';
  if (/\s/.test(glob)) return 'contains white space';
  if (kind === 'host' && CIDR.test(glob)) {
    const pattern = parseHostPattern(glob);
    return typeof pattern === 'string' ? pattern : undefined;
  }
  // An IP address in any notation, IPv6 ones starting with ":" too (::1, [::1], ::ffff:10.0.0.1).
  if (kind === 'host' && !/[*?]/.test(glob)) {
    const pattern = parseHostPattern(glob);
    if (typeof pattern !== 'string' && pattern.kind === 'address') return undefined;
  }
  if (/[[\]{}!^\\/]/.test(glob))
    return 'uses a character that is not a glob here: only "*" (any text) and "?" (one character) are wildcards';
  if (glob.includes('**')) return 'contains "**"; a single "*" already matches any text';
  const pattern = kind === 'host' ? HOST_GLOB : PROFILE_GLOB;
  if (!pattern.test(glob))
    return kind === 'host'
      ? 'is not a host-name glob (letters, digits, ".", "-", ":", "*" and "?"), an IP address or a CIDR block'
      : 'is not a profile-name glob (letters, digits, ".", "_", "-", "*" and "?")';
  return undefined;
}
