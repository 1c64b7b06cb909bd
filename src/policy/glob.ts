/**
 * Globs of policy files (`*.corp.example`, `payroll-*`): `*` matches any run of characters,
 * `?` one character, everything else itself, case-insensitively. Also decides, exactly, whether
 * two globs can match a common name and whether one glob covers another; the set checks use
 * these to find allow lists that leave nothing allowed.
 */

const compiled = new Map<string, RegExp>();

/** The glob as a regular expression; compiled once per glob (resolution tests globs on a hot path). */
export function globToRegExp(glob: string): RegExp {
  let re = compiled.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'i');
    compiled.set(glob, re);
  }
  return re;
}

export function globMatches(glob: string, name: string): boolean {
  return globToRegExp(glob).test(name);
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
const PROFILE_GLOB = /^[A-Za-z0-9*?][A-Za-z0-9._*?-]*$/;

/** Why a glob is not acceptable, or undefined when it is. */
export function globProblem(glob: string, kind: 'host' | 'profile'): string | undefined {
  if (glob.trim() === '') return 'is empty; use "*" to match every name';
  if (/\s/.test(glob)) return 'contains white space';
  if (/[[\]{}!^\\/]/.test(glob)) return 'uses a character that is not a glob here: only "*" (any text) and "?" (one character) are wildcards';
  if (glob.includes('**')) return 'contains "**"; a single "*" already matches any text';
  const pattern = kind === 'host' ? HOST_GLOB : PROFILE_GLOB;
  if (!pattern.test(glob)) return kind === 'host' ? 'is not a host-name glob (letters, digits, ".", "-", ":", "*" and "?")' : 'is not a profile-name glob (letters, digits, ".", "_", "-", "*" and "?")';
  return undefined;
}
