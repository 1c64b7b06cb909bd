/**
 * What the policies that apply say about one setting, merged per DESIGN.md:
 *  - among mandatory (or recommended) values the highest rank wins; at equal rank the more
 *    secure value wins and it is a conflict; equal-rank values of an unordered setting that
 *    differ are a contradiction. Losing values stay as `override` / `supersede`.
 *  - floors combine by max, ceilings by min, allow lists intersect, deny lists unite.
 *  - a floor above a ceiling, a mandatory value outside a floor, ceiling, allow or deny
 *    list, and allow lists with nothing in common are contradictions.
 * Independent of any profile, so `policy validate` and the resolver share it. Pure.
 */
import type { AppliedConstraint, Conflict, LosingValue, PolicyOrigin } from './policy-origin';
import { decidedWhenDialed, isPortList, ruleCovers, ruleMatchesValue, rulesIntersect } from './list-rules';
import type { EnforceKind, Policy, PolicySetting } from './policy';
import { compareSecurity, compareValues, hasSecureOrder, sameValue, type CatalogEntry } from './policy-catalog';
import { describeRank, policyRank } from './policy-rank';
import { describeOrigin } from './describe-origin';

export interface PolicyValue extends PolicyOrigin {
  value: unknown;
  enforce: EnforceKind;
  rank: number;
  /** "machine scope, priority 100", for messages. */
  rankText: string;
}

export interface Contradiction {
  path: string;
  message: string;
  /** The policies involved, first the one whose line the message points at. */
  origins: PolicyOrigin[];
}

export interface MergedLayer {
  /** The winning mandatory / recommended value. */
  winner?: PolicyValue;
  losers: LosingValue[];
}

export interface MergedSetting {
  entry: CatalogEntry;
  mandatory: MergedLayer;
  recommended: MergedLayer;
  /** The strongest floor and the weakest ceiling (each with its origin). */
  floor?: PolicyValue;
  ceiling?: PolicyValue;
  /** One allow list per policy that has one; a value must match each of them. */
  allowLists: Array<PolicyOrigin & { globs: string[] }>;
  denyLists: Array<PolicyOrigin & { globs: string[] }>;
  constraints: AppliedConstraint[];
  conflicts: Conflict[];
  contradictions: Contradiction[];
}

export function originOf(
  policy: Policy,
  setting: Pick<PolicySetting, 'line' | 'column' | 'registryValue'>,
): PolicyOrigin {
  return {
    policy: policy.name,
    file: policy.file,
    line: setting.line,
    column: setting.column,
    ...(setting.registryValue !== undefined ? { registryValue: setting.registryValue } : {}),
  };
}

/** Just the origin fields of a value (registryValue only when there is one). */
function pickOrigin(v: PolicyOrigin): PolicyOrigin {
  return {
    policy: v.policy,
    file: v.file,
    line: v.line,
    column: v.column,
    ...(v.registryValue !== undefined ? { registryValue: v.registryValue } : {}),
  };
}

export function showValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function where(origin: PolicyOrigin): string {
  return `policy ${origin.policy} (${describeOrigin(origin)})`;
}

/** Merges every policy setting for `entry.path` from `policies` (those that apply). */
export function mergePolicyLayers(entry: CatalogEntry, policies: readonly Policy[]): MergedSetting {
  const merged: MergedSetting = {
    entry,
    mandatory: { losers: [] },
    recommended: { losers: [] },
    allowLists: [],
    denyLists: [],
    constraints: [],
    conflicts: [],
    contradictions: [],
  };
  const byKind = new Map<EnforceKind, Array<{ policy: Policy; setting: PolicySetting }>>();
  for (const policy of policies) {
    for (const setting of policy.settings) {
      if (setting.path !== entry.path) continue;
      const list = byKind.get(setting.enforce) ?? [];
      list.push({ policy, setting });
      byKind.set(setting.enforce, list);
    }
  }
  const valueOf = ({ policy, setting }: { policy: Policy; setting: PolicySetting }): PolicyValue => ({
    ...originOf(policy, setting),
    value: setting.value,
    enforce: setting.enforce,
    rank: policyRank(policy),
    rankText: describeRank(policy),
  });

  merged.mandatory = pickWinner(entry, (byKind.get('mandatory') ?? []).map(valueOf), merged);
  merged.recommended = pickWinner(entry, (byKind.get('recommended') ?? []).map(valueOf), merged);

  for (const kind of ['floor', 'ceiling'] as const) {
    const values = (byKind.get(kind) ?? []).map(valueOf);
    for (const v of values) merged.constraints.push({ ...pickOrigin(v), enforce: kind, value: v.value });
    // floors combine by max, ceilings by min
    const strongest = values.reduce<PolicyValue | undefined>((best, v) => {
      if (!best) return v;
      const order = compareValues(entry, v.value, best.value);
      return kind === 'floor' ? (order > 0 ? v : best) : order < 0 ? v : best;
    }, undefined);
    if (kind === 'floor') merged.floor = strongest;
    else merged.ceiling = strongest;
  }
  for (const kind of ['allow', 'deny'] as const) {
    for (const { policy, setting } of byKind.get(kind) ?? []) {
      const list = { ...originOf(policy, setting), globs: setting.globs ?? [] };
      (kind === 'allow' ? merged.allowLists : merged.denyLists).push(list);
      merged.constraints.push({ ...originOf(policy, setting), enforce: kind, value: list.globs });
    }
  }

  findContradictions(merged);
  return merged;
}

/**
 * The winner of one layer (mandatory or recommended): highest rank; at equal rank the most
 * secure value (a conflict), or a contradiction when the setting has no secure order.
 */
function pickWinner(entry: CatalogEntry, values: PolicyValue[], merged: MergedSetting): MergedLayer {
  if (values.length === 0) return { losers: [] };
  const topRank = Math.max(...values.map((v) => v.rank));
  const top = values.filter((v) => v.rank === topRank);
  let winner = top[0];
  const distinct = top.filter((v) => !sameValue(v.value, winner.value));
  // Mandated audit logs add up (resolution-enforcement.ts writes every one): two at equal rank are both kept, not a contradiction.
  if (distinct.length > 0 && !(ADDITIVE_MANDATES.has(entry.path) && winner.enforce === 'mandatory')) {
    if (hasSecureOrder(entry)) {
      winner = top.reduce((best, v) => (compareSecurity(entry, v.value, best.value) > 0 ? v : best));
      const losers = top.filter((v) => v !== winner && !sameValue(v.value, winner.value));
      merged.conflicts.push({
        path: entry.path,
        value: winner.value,
        winner: { ...pickOrigin(winner), value: winner.value },
        losers: losers.map((v) => ({ ...pickOrigin(v), value: v.value })),
        message: `${entry.path}: ${losers.map((v) => where(v)).join(', ')} and ${where(winner)} have equal rank (${winner.enforce}); the more secure value ${showValue(winner.value)} wins over ${losers.map((v) => showValue(v.value)).join(', ')}${entry.order === 'numeric' ? ` (for ${entry.path}, ${entry.secure} is more secure)` : ''}`,
      });
    } else {
      const other = distinct[0];
      merged.contradictions.push({
        path: entry.path,
        message: `${entry.path}: ${where(winner)} and ${where(other)} have equal rank (${winner.rankText}) and make it ${winner.enforce} with different values (${showValue(winner.value)} and ${showValue(other.value)})${entry.order === 'numeric' ? ', and neither is more secure' : ''}; give one a higher priority or make them agree`,
        origins: [winner, other],
      });
    }
  }
  const losers: LosingValue[] = values
    .filter((v) => v !== winner)
    .map((v) => ({
      ...pickOrigin(v),
      value: v.value,
      enforce: v.enforce,
      type: sameValue(v.value, winner.value) ? 'supersede' : 'override',
    }));
  return { winner, losers };
}

/** Settings whose mandatory values all apply together rather than one winning. */
const ADDITIVE_MANDATES = new Set(['audit.logFile']);

function findContradictions(merged: MergedSetting): void {
  const { entry, floor, ceiling } = merged;
  const contradiction = (message: string, ...origins: PolicyOrigin[]): void => {
    merged.contradictions.push({ path: entry.path, message: `${entry.path}: ${message}`, origins });
  };
  if (floor && ceiling && compareValues(entry, floor.value, ceiling.value) > 0) {
    contradiction(
      `the floor ${showValue(floor.value)} of ${where(floor)} is above the ceiling ${showValue(ceiling.value)} of ${where(ceiling)}; no value satisfies both`,
      floor,
      ceiling,
    );
  }
  const mandatory = merged.mandatory.winner;
  if (mandatory) {
    if (floor && compareValues(entry, mandatory.value, floor.value) < 0) {
      contradiction(
        `the mandatory value ${showValue(mandatory.value)} of ${where(mandatory)} is below the floor ${showValue(floor.value)} of ${where(floor)}`,
        mandatory,
        floor,
      );
    }
    if (ceiling && compareValues(entry, mandatory.value, ceiling.value) > 0) {
      contradiction(
        `the mandatory value ${showValue(mandatory.value)} of ${where(mandatory)} is above the ceiling ${showValue(ceiling.value)} of ${where(ceiling)}`,
        mandatory,
        ceiling,
      );
    }
    // Every item of the value (a port, a name, each pin of a list) against the lists, as resolve checks it.
    const items = Array.isArray(mandatory.value) ? (mandatory.value as unknown[]) : [mandatory.value];
    const matches = (rules: readonly string[], item: unknown): boolean =>
      rules.some((rule) => ruleMatchesValue(entry.path, rule, item));
    for (const allow of merged.allowLists) {
      // A host name against address rules is checked on the address dialed: nothing to claim now.
      const outside = items.filter(
        (item) => !matches(allow.globs, item) && !allow.globs.some((rule) => decidedWhenDialed(entry.path, rule, item)),
      );
      if (outside.length > 0)
        contradiction(
          `the mandatory value ${showValue(mandatory.value)} of ${where(mandatory)} is not in the allow list of ${where(allow)} (${allow.globs.join(', ')})`,
          mandatory,
          allow,
        );
    }
    for (const deny of merged.denyLists) {
      if (items.some((item) => matches(deny.globs, item)))
        contradiction(
          `the mandatory value ${showValue(mandatory.value)} of ${where(mandatory)} is denied by ${where(deny)} (${deny.globs.join(', ')})`,
          mandatory,
          deny,
        );
    }
  }
  // Allow lists intersect: any two that share no value leave nothing allowed (ranges and blocks by what they hold).
  const allows = merged.allowLists;
  for (let i = 0; i < allows.length; i++) {
    for (let j = i + 1; j < allows.length; j++) {
      if (!allows[i].globs.some((a) => allows[j].globs.some((b) => rulesIntersect(entry.path, a, b)))) {
        contradiction(
          `the allow lists of ${where(allows[i])} (${allows[i].globs.join(', ')}) and ${where(allows[j])} (${allows[j].globs.join(', ')}) have no ${isPortList(entry.path) ? 'port' : 'name'} in common, so nothing is allowed`,
          allows[i],
          allows[j],
        );
      }
    }
  }
  // Deny beats allow: an allow list whose every entry is denied leaves nothing allowed.
  for (const allow of allows) {
    const denyingAll = merged.denyLists.find((deny) =>
      allow.globs.every((a) => deny.globs.some((d) => ruleCovers(entry.path, d, a))),
    );
    if (denyingAll)
      contradiction(
        `everything the allow list of ${where(allow)} (${allow.globs.join(', ')}) allows is denied by ${where(denyingAll)} (${denyingAll.globs.join(', ')})`,
        allow,
        denyingAll,
      );
  }
}
