/**
 * A name matched by every one of several glob lists at once (policy `appliesTo` lists: a
 * list matches a name when any of its globs does; an empty list matches every name), and by
 * none of the `excluded` lists (deny lists; an empty excluded list excludes every name), found by
 * a breadth-first search of the product of the lists' automata. Globs as in glob.ts: `*` any
 * run, `?` one character, everything else itself, case-insensitively.
 *
 * The search is exact: characters that appear in no glob behave alike, so one stand-in for
 * them suffices, and the product has finitely many states. It is bounded by `maxStates`
 * (product states visited); past that the answer is `unknown`, never a guess. Pure.
 */
import { globMatches } from './glob';

export type WitnessResult = { found: true; name: string } | { found: false; unknown: boolean };

/** One list's automaton state: the set of (glob, position) pairs still alive, as a sorted key. */
type ListState = number[];

export function commonName(
  lists: ReadonlyArray<readonly string[]>,
  maxStates = 4096,
  excluded: ReadonlyArray<readonly string[]> = [],
): WitnessResult {
  const positive = lists.filter((list) => list.length > 0).map((list) => list.map((glob) => glob.toLowerCase()));
  const negative = excluded.filter((list) => list.length > 0).map((list) => list.map((glob) => glob.toLowerCase()));
  if (excluded.some((list) => list.length === 0)) return { found: false, unknown: false }; // an empty excluded list excludes every name
  if (positive.length === 0 && negative.length === 0) return { found: true, name: 'x' };
  // Cheap first: the shortest name of one glob ("*" empty, "?" one character) often fits all.
  const fits = (name: string): boolean =>
    positive.every((list) => list.some((g) => globMatches(g, name))) &&
    !negative.some((list) => list.some((g) => globMatches(g, name)));
  for (const glob of positive[0] ?? ['', 'x']) {
    const sample = glob.replace(/\*/g, '').replace(/\?/g, 'x');
    if (fits(sample)) return { found: true, name: sample };
  }
  // Any name works for "every name": the search needs one positive list to walk.
  const active = [...(positive.length > 0 ? positive : [['*']]), ...negative];
  const isNegative = (i: number): boolean => i >= active.length - negative.length;
  const alphabet = new Set<string>();
  for (const list of active)
    for (const glob of list) for (const ch of glob) if (ch !== '*' && ch !== '?') alphabet.add(ch);
  const filler = [...'xqz0123456789abcdefghijklmnoprstuvwy'].find((ch) => !alphabet.has(ch)) ?? '\u0001';
  const letters = [...alphabet, filler];

  // Positions are encoded as glob * STRIDE + offset; globs are short (a policy file is at most 1 MiB).
  const stride = Math.max(...active.flatMap((list) => list.map((g) => g.length))) + 2;
  const closure = (list: readonly string[], positions: Iterable<number>): ListState => {
    const out = new Set<number>();
    const stack = [...positions];
    while (stack.length > 0) {
      const p = stack.pop()!;
      if (out.has(p)) continue;
      out.add(p);
      const glob = list[Math.floor(p / stride)];
      const at = p % stride;
      if (glob[at] === '*') stack.push(p + 1);
    }
    return [...out].sort((a, b) => a - b);
  };
  const accepts = (list: readonly string[], state: ListState): boolean =>
    state.some((p) => p % stride === list[Math.floor(p / stride)].length);
  const step = (list: readonly string[], state: ListState, ch: string): ListState => {
    const next: number[] = [];
    for (const p of state) {
      const glob = list[Math.floor(p / stride)];
      const c = glob[p % stride];
      if (c === undefined) continue;
      if (c === '*') next.push(p);
      else if (c === '?' || c === ch) next.push(p + 1);
    }
    return closure(list, next);
  };

  const start = active.map((list) =>
    closure(
      list,
      list.map((_, g) => g * stride),
    ),
  );
  const keyOf = (states: ListState[]): string => states.map((s) => s.join(',')).join('|');
  const seen = new Map<string, { from: string | undefined; ch: string }>([[keyOf(start), { from: undefined, ch: '' }]]);
  let frontier: Array<{ key: string; states: ListState[] }> = [{ key: keyOf(start), states: start }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { key, states } of frontier) {
      if (states.every((state, i) => accepts(active[i], state) !== isNegative(i)))
        return { found: true, name: spell(seen, key) };
      for (const ch of letters) {
        const after = states.map((state, i) => step(active[i], state, ch));
        // A positive list with no live position can never match again; a negative one never will (good).
        if (after.some((state, i) => state.length === 0 && !isNegative(i))) continue;
        const afterKey = keyOf(after);
        if (seen.has(afterKey)) continue;
        if (seen.size >= maxStates) return { found: false, unknown: true };
        seen.set(afterKey, { from: key, ch });
        next.push({ key: afterKey, states: after });
      }
    }
    frontier = next;
  }
  return { found: false, unknown: false };
}

function spell(seen: Map<string, { from: string | undefined; ch: string }>, key: string): string {
  const chars: string[] = [];
  for (let at: string | undefined = key; at !== undefined;) {
    const entry: { from: string | undefined; ch: string } = seen.get(at)!;
    chars.push(entry.ch);
    at = entry.from;
  }
  return chars.reverse().join('');
}
