/**
 * `policy validate` on a whole set: contradictions no profile could repair and equal-rank
 * conflicts (where the more secure value wins), for every combination of policies that can
 * apply to one session together, not only pairs: three policies can contradict where no two
 * of them do. Pure.
 *
 * How, in time near-linear in the number of policies when their `appliesTo` scopes are few or
 * disjoint (10,000 policies without `appliesTo` are one scope and one merge):
 *  1. each policy alone (a contradiction inside one file);
 *  2. policies are grouped by their `appliesTo` (same lists = same sessions); every set of
 *     scopes that can match one session together is enumerated (growing sets one scope at a
 *     time, only with scopes that overlap every member), each with a witness session (a
 *     profile name and a host matched by all of them, glob-witness.ts);
 *  3. at each witness, every policy that applies there is merged as `resolve` would merge it,
 *     and the merged result is checked (policy/merge-policy-layers.ts, resolution-invariants.ts).
 * The enumeration has a budget (`maxCombinations`); past it the check says which scopes it did
 * not finish (`notes`) instead of running for hours. Nothing is materialised per pair.
 */
import { brokenInvariants } from './resolution-invariants';
import type { Conflict, ResolvedSetting } from './resolution';
import { globMatches, globsIntersect } from '../policy/glob';
import { isAddressPattern, parseHostPattern } from '../policy/host-pattern';
import {
  comparableGlob,
  comparedExactly,
  isHostList,
  isPortList,
  portRange,
  ruleMatchesValue,
} from '../policy/list-rules';
import { commonName } from '../policy/glob-witness';
import { mergePolicyLayers } from '../policy/merge-policy-layers';
import type { Policy, PolicyProblem } from '../policy/policy';
import { policyCatalog } from '../policy/policy-catalog';
import { describeOrigin } from '../policy/describe-origin';

export interface PolicySetCheck {
  contradictions: PolicyProblem[];
  conflicts: Conflict[];
  /** What the check did not finish within its budget, one sentence each (empty when it finished). */
  notes: string[];
}

export interface PolicySetCheckOptions {
  /** Most combinations of scopes tried, each a search for a session they share (default 20,000). */
  maxCombinations?: number;
}

/** Policies with the same `appliesTo` (lower-cased, sorted; `*` or nothing = every name). */
interface Scope {
  profiles: string[];
  hosts: string[];
  policies: Policy[];
}

export function checkPolicySet(policies: readonly Policy[], options: PolicySetCheckOptions = {}): PolicySetCheck {
  const contradictions = new Map<string, PolicyProblem>();
  const conflicts = new Map<string, Conflict>();
  const notes: string[] = [];
  const checkGroup = (group: readonly Policy[]): void => checkMerged(group, contradictions, conflicts);

  for (const policy of policies) checkGroup([policy]);

  const scopes = groupByScope(policies);
  const profiles = new DimensionIndex(scopes.map((s) => s.profiles));
  const hosts = new DimensionIndex(scopes.map((s) => s.hosts));
  const maxCombinations = options.maxCombinations ?? 20_000;
  // An atom: the exact set of scopes that apply at one witness session (profile, host).
  interface Atom {
    members: number[];
    profile: string;
    host: string;
  }
  const atoms = new Map<string, Atom>();
  const queue: Atom[] = [];
  const applies = (i: number, profile: string, host: string): boolean =>
    listMatches(scopes[i].profiles, profile) && listMatches(scopes[i].hosts, host);
  const at = (profile: string, host: string): Atom | undefined => {
    // Start from the more selective dimension's index, then test the other dimension directly.
    const candidates = hosts.anyCount() <= profiles.anyCount() ? hosts.matching(host) : profiles.matching(profile);
    const members = candidates.filter((i) => applies(i, profile, host)).sort((a, b) => a - b);
    const key = members.join(',');
    if (members.length === 0) return undefined;
    const known = atoms.get(key);
    if (known) return known;
    const atom = { members, profile, host };
    atoms.set(key, atom);
    queue.push(atom);
    if (members.length > 1 || scopes[members[0]].policies.length > 1)
      checkGroup(members.flatMap((i) => scopes[i].policies));
    return atom;
  };

  let searches = 0;
  let exhausted = false;
  const undecided: string[] = [];
  /** A session where every scope of `set` applies (and, with `avoid`, that scope does not), or undefined. */
  const witness = (
    set: readonly number[],
    hint?: { profile: string; host: string },
    avoid?: number,
  ): { profile: string; host: string } | undefined => {
    if (searches >= maxCombinations) {
      exhausted = true;
      return undefined;
    }
    searches++;
    if (hint) {
      // Cheap first: the hint itself, or the hint joined with each scope's own witness (a*, *b -> "ab").
      const own = set.map((i) => ownWitness[i]).filter((w): w is { profile: string; host: string } => w !== undefined);
      const profilesToTry = [hint.profile, ...own.flatMap((w) => [hint.profile + w.profile, w.profile + hint.profile])];
      const hostsToTry = [hint.host, ...own.flatMap((w) => [hint.host + w.host, w.host + hint.host])];
      const profile = profilesToTry.find(
        (p) =>
          set.every((i) => listMatches(scopes[i].profiles, p)) &&
          (avoid === undefined || !listMatches(scopes[avoid].profiles, p)),
      );
      const host = hostsToTry.find((h) => set.every((i) => listMatches(scopes[i].hosts, h)));
      if (profile !== undefined && host !== undefined) return { profile, host };
    }
    const search = (dimension: 'profiles' | 'hosts', excluded: string[][]): ReturnType<typeof commonName> => {
      const result = commonName(
        set.map((i) => scopes[i][dimension]),
        1024,
        excluded,
      );
      if (!result.found && result.unknown && undecided.length < 10)
        undecided.push(set.map((i) => describeScope(scopes[i])).join(' + '));
      return result;
    };
    // Avoiding a scope: its profile list or its host list must miss; try the profile side first.
    const tries: Array<[string[][], string[][]]> =
      avoid === undefined
        ? [[[], []]]
        : [
            [[scopes[avoid].profiles], []],
            [[], [scopes[avoid].hosts]],
          ];
    for (const [excludedProfiles, excludedHosts] of tries) {
      if (avoid !== undefined && (excludedProfiles[0]?.length === 0 || excludedHosts[0]?.length === 0)) continue; // "every name" can't be avoided
      const profile = search('profiles', excludedProfiles);
      if (!profile.found) continue;
      const host = search('hosts', excludedHosts);
      if (host.found) return { profile: profile.name, host: host.name };
    }
    return undefined;
  };

  // 1. each scope at a session of its own
  const ownWitness = scopes.map((_, i) => witness([i]));
  ownWitness.forEach((w) => w && at(w.profile, w.host));
  // 2. each overlapping pair at a session they share, and (one level) sessions that leave out a third scope
  const neighbours = scopes.map(
    (_, i) => new Set(intersect(profiles.overlapping(i), hosts.overlapping(i), scopes.length).filter((j) => j !== i)),
  );
  for (let i = 0; i < scopes.length && !exhausted; i++) {
    for (const j of neighbours[i]) {
      if (j < i) continue;
      const hint = ownWitness[i];
      const shared = witness([i, j], hint);
      if (!shared) continue;
      const atom = at(shared.profile, shared.host);
      for (const u of (atom?.members ?? []).filter((k) => k !== i && k !== j).slice(0, 4)) {
        const without = witness([i, j], undefined, u);
        if (without) at(without.profile, without.host);
      }
    }
  }
  // 3. grow each atom by one more scope that overlaps all of its members (three, four ... together)
  for (let next = 0; next < queue.length && !exhausted; next++) {
    const atom = queue[next];
    const members = new Set(atom.members);
    const smallest = atom.members.reduce(
      (best, i) => (neighbours[i].size < neighbours[best].size ? i : best),
      atom.members[0],
    );
    for (const t of neighbours[smallest]) {
      if (members.has(t) || !atom.members.every((m) => neighbours[m].has(t))) continue;
      const grown = witness([...atom.members, t], atom);
      if (grown) at(grown.profile, grown.host);
      if (exhausted) break;
    }
  }
  if (exhausted) {
    notes.push(
      `the set check stopped after trying ${maxCombinations} combinations of appliesTo scopes (${scopes.length} distinct scopes, ${atoms.size} combinations checked); contradictions among the combinations not reached are not reported: use fewer distinct <appliesTo> lists`,
    );
  }
  for (const combination of undecided)
    notes.push(
      `could not decide within the search budget whether ${combination} can apply to one session; not checked together`,
    );

  return {
    contradictions: [...contradictions.values()].sort(
      (a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0),
    ),
    conflicts: [...conflicts.values()],
    notes,
  };
}

/**
 * Whether one value is in every allow list and no deny list: ports by their ranges (a value
 * shared by ranges is one of their ends, or just past a denied range), name globs through
 * their automata (commonName), anything else (address blocks, mixed lists) unknown: the
 * pairwise checks in mergePolicyLayers are all that is claimed for those.
 */
function commonAllowed(path: string, allows: string[][], denies: string[][]): { found: boolean; unknown: boolean } {
  if (isPortList(path)) {
    const candidates = new Set<number>();
    for (const rule of [...allows, ...denies].flat()) {
      const [low, high] = portRange(rule) ?? [0, 0];
      for (const port of [low, high, low - 1, high + 1]) if (port >= 1 && port <= 65535) candidates.add(port);
    }
    const found = [...candidates].some(
      (port) =>
        allows.every((list) => list.some((rule) => ruleMatchesValue(path, rule, port))) &&
        !denies.some((list) => list.some((rule) => ruleMatchesValue(path, rule, port))),
    );
    return { found, unknown: false };
  }
  const addressRule = (rule: string): boolean => {
    const pattern = parseHostPattern(rule);
    return typeof pattern !== 'string' && isAddressPattern(pattern);
  };
  if (isHostList(path) && [...allows, ...denies].flat().some(addressRule)) return { found: false, unknown: true };
  if (comparedExactly(path)) {
    const found = allows[0]!.some(
      (pin) => allows.every((list) => list.includes(pin)) && !denies.some((list) => list.includes(pin)),
    );
    return { found, unknown: false };
  }
  const spelled = (lists: string[][]): string[][] =>
    lists.map((list) => list.map((rule) => comparableGlob(path, rule)));
  const left = commonName(spelled(allows), 4096, spelled(denies));
  return { found: left.found, unknown: !left.found && left.unknown };
}

/** Merges one group as `resolve` would, recording contradictions, conflicts and broken invariants. */
function checkMerged(
  group: readonly Policy[],
  contradictions: Map<string, PolicyProblem>,
  conflicts: Map<string, Conflict>,
): void {
  const decided: Record<string, ResolvedSetting> = {};
  const paths = new Set<string>();
  for (const policy of group) for (const setting of policy.settings) paths.add(setting.path);
  for (const path of paths) {
    const entry = policyCatalog().get(path);
    if (!entry) continue;
    const relevant = group.length === 1 ? group : group.filter((p) => p.settings.some((s) => s.path === path));
    const merged = mergePolicyLayers(entry, relevant);
    for (const c of merged.contradictions) {
      const origin = c.origins[0];
      contradictions.set(c.message, {
        file: origin.file,
        line: origin.registryValue !== undefined ? null : origin.line,
        column: origin.registryValue !== undefined ? null : origin.column,
        message: c.message,
      });
    }
    for (const c of merged.conflicts) conflicts.set(c.message, c);
    // Allow lists intersect and deny lists subtract, across all of them at once: three allow
    // lists can share no name where every two of them do (a*|b*, b*|c*, a*|c*).
    if (merged.allowLists.length > 0 && merged.contradictions.length === 0) {
      const allows = merged.allowLists;
      const left = commonAllowed(
        path,
        allows.map((a) => a.globs),
        merged.denyLists.map((d) => d.globs),
      );
      if (!left.found && !left.unknown) {
        const lists = allows.map((a) => `policy ${a.policy} (${describeOrigin(a)}: ${a.globs.join(', ')})`).join(', ');
        const denies =
          merged.denyLists.length > 0
            ? ` once the deny lists of ${merged.denyLists.map((d) => `policy ${d.policy} (${describeOrigin(d)}: ${d.globs.join(', ')})`).join(', ')} are taken out`
            : '';
        const message = `${path}: the allow lists of ${lists} together have no name in common${denies}, so nothing is allowed; widen one list or narrow the policies' appliesTo`;
        contradictions.set(message, { file: allows[0].file, line: allows[0].line, column: allows[0].column, message });
      }
    }
    // What policies alone pin down: a mandatory value, else the bound a profile could at best reach.
    const pinned = merged.mandatory.winner ?? merged.floor ?? merged.ceiling;
    if (pinned)
      decided[path] = {
        value: pinned.value,
        source: 'policy',
        status: 'applied',
        enforce: pinned.enforce,
        policy: pinned.policy,
        file: pinned.file,
        line: pinned.line,
        column: pinned.column,
        ...(pinned.registryValue !== undefined ? { registryValue: pinned.registryValue } : {}),
      };
  }
  for (const { violation: v, described } of brokenInvariants(decided, { decidedByPolicyOnly: true })) {
    // Name the policies whose values the broken rule's message cites, in catalog order.
    const cited = new Set(described);
    const involved = [
      ...new Set(
        Object.entries(decided)
          .filter(([path]) => cited.has(path))
          .map(([, s]) => s.policy),
      ),
    ].filter((name) => name !== undefined);
    const names = (involved.length > 0 ? involved : group.slice(0, 5).map((p) => p.name)).join(' + ');
    const message = `${v.message} (policies ${names} together)`;
    contradictions.set(message, {
      file: v.file ?? group[0].file,
      line: v.registryValue !== undefined ? null : (v.line ?? group[0].line),
      column: v.registryValue !== undefined ? null : (v.column ?? group[0].column),
      message,
    });
  }
}

function normaliseList(globs: readonly string[]): string[] {
  const lower = [...new Set(globs.map((g) => g.toLowerCase()))].sort();
  return lower.includes('*') ? [] : lower;
}

function groupByScope(policies: readonly Policy[]): Scope[] {
  const byKey = new Map<string, Scope>();
  for (const policy of policies) {
    const profiles = normaliseList(policy.appliesTo.profiles);
    const hosts = normaliseList(policy.appliesTo.hosts);
    const key = `${profiles.join('\u0000')}\u0001${hosts.join('\u0000')}`;
    const scope = byKey.get(key);
    if (scope) scope.policies.push(policy);
    else byKey.set(key, { profiles, hosts, policies: [policy] });
  }
  return [...byKey.values()];
}

function listMatches(list: readonly string[], name: string): boolean {
  return list.length === 0 || list.some((glob) => globMatches(glob, name));
}

function describeScope(scope: Scope): string {
  const names = scope.policies.slice(0, 3).map((p) => p.name);
  return `${names.join(', ')}${scope.policies.length > 3 ? ` (and ${scope.policies.length - 3} more)` : ''}`;
}

const isLiteral = (glob: string): boolean => !glob.includes('*') && !glob.includes('?');

/** `null` = every scope. */
type ScopeSet = number[] | null;

function intersect(a: ScopeSet, b: ScopeSet, count: number): number[] {
  if (a === null && b === null) return Array.from({ length: count }, (_, i) => i);
  if (a === null) return [...(b as number[])].sort((x, y) => x - y);
  if (b === null) return [...a].sort((x, y) => x - y);
  const other = new Set(b);
  return a.filter((x) => other.has(x)).sort((x, y) => x - y);
}

/** One dimension (profile names or hosts) of every scope, indexed so lookups are not a scan of every scope. */
class DimensionIndex {
  private readonly any: number[] = [];
  private readonly literal = new Map<string, number[]>();
  private readonly wild: Array<{ glob: string; scope: number }> = [];

  constructor(private readonly lists: ReadonlyArray<readonly string[]>) {
    lists.forEach((list, scope) => {
      if (list.length === 0) this.any.push(scope);
      for (const glob of list) {
        if (isLiteral(glob)) {
          const at = this.literal.get(glob);
          if (at) at.push(scope);
          else this.literal.set(glob, [scope]);
        } else {
          this.wild.push({ glob, scope });
        }
      }
    });
  }

  /** How many scopes match every name in this dimension. */
  anyCount(): number {
    return this.any.length;
  }

  /** Scopes whose list matches `name`. */
  matching(name: string): number[] {
    const out = new Set<number>([...this.any, ...(this.literal.get(name.toLowerCase()) ?? [])]);
    for (const { glob, scope } of this.wild) if (!out.has(scope) && globMatches(glob, name)) out.add(scope);
    return [...out];
  }

  /** Scopes whose list has a name in common with scope `i`'s list; null = every scope. */
  overlapping(i: number): ScopeSet {
    const list = this.lists[i];
    if (list.length === 0) return null;
    const out = new Set<number>(this.any);
    for (const glob of list) {
      if (isLiteral(glob)) {
        for (const scope of this.matching(glob)) out.add(scope);
        continue;
      }
      for (const [name, scopes] of this.literal)
        if (globMatches(glob, name)) for (const scope of scopes) out.add(scope);
      for (const other of this.wild)
        if (!out.has(other.scope) && literalEndsAgree(glob, other.glob) && globsIntersect(glob, other.glob))
          out.add(other.scope);
    }
    return [...out];
  }
}

/** A cheap necessary condition for two globs to intersect: their literal starts and ends agree. */
function literalEndsAgree(a: string, b: string): boolean {
  const head = (g: string): string => g.slice(0, g.search(/[*?]/) < 0 ? g.length : g.search(/[*?]/));
  const tail = (g: string): string => g.slice(Math.max(g.lastIndexOf('*'), g.lastIndexOf('?')) + 1);
  const ha = head(a);
  const hb = head(b);
  const ta = tail(a);
  const tb = tail(b);
  return (ha.startsWith(hb) || hb.startsWith(ha)) && (ta.endsWith(tb) || tb.endsWith(ta));
}
