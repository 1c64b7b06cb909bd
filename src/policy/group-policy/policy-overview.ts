/**
 * What `ftpsctl policy show` prints, like Chromium's chrome://policy: every policy value of the
 * policy set (XML files and Registry.pol files alike), with its enforcement, scope, source (file
 * and line, or file and registry value) and status, plus the conflicts between sources and the
 * files that cannot be used. Statuses come from the resolver's own merge (mergePolicyLayers),
 * computed among the policies whose appliesTo can cover a common session, so `show` and
 * `resolve` never disagree about who wins. Pure.
 */
import { describeOrigin } from '../describe-origin';
import { mergePolicyLayers } from '../merge-policy-layers';
import type { Policy, PolicyFailure, PolicySetting } from '../policy';
import { policyCatalog } from '../policy-catalog';
import { policiesOverlap } from '../policy-rank';
import type { PolicySet } from '../policy-set';
import type { EnforceKind } from '../policy';

/**
 * active: this value decides (for the sessions its policy applies to);
 * superseded: a higher-ranked (or, at equal rank, more secure) value is the same;
 * overridden: such a value differs (a recommended value also loses to any mandatory one);
 * constraint: a floor, ceiling, allow or deny list (these all apply together).
 */
export type OverviewStatus = 'active' | 'superseded' | 'overridden' | 'constraint';

export interface OverviewValue {
  path: string;
  value: unknown;
  enforce: EnforceKind;
  status: OverviewStatus;
  policy: string;
  scope: 'machine' | 'user';
  priority: number;
  /** `xml` for a policy file, `registry.pol` for Group Policy. */
  format: 'xml' | 'registry.pol';
  file: string;
  line?: number;
  registryValue?: string;
  /** `file:line` or `file: registry value`. */
  source: string;
  /** The profiles and hosts the policy covers; empty lists: every session. */
  appliesTo: Policy['appliesTo'];
  /** What beat it, for superseded and overridden values. */
  winner?: { policy: string; source: string; value: unknown };
}

export interface PolicyOverview {
  sources: string[];
  managed?: boolean;
  simulation?: boolean;
  values: OverviewValue[];
  /** Equal-rank values that differ (the more secure won) and contradictions (which refuse sessions). */
  conflicts: Array<{ path: string; kind: 'conflict' | 'contradiction'; message: string }>;
  /** Files that cannot be used: they refuse every session they could apply to. */
  failures: PolicyFailure[];
  warnings: string[];
}

const isRegistry = (setting: PolicySetting): boolean => setting.registryValue !== undefined;

export function buildPolicyOverview(set: PolicySet): PolicyOverview {
  const catalog = policyCatalog();
  const values: OverviewValue[] = [];
  const conflicts = new Map<string, PolicyOverview['conflicts'][number]>();
  for (const [path, entry] of catalog) {
    const holders = set.policies.filter((p) => p.settings.some((s) => s.path === path));
    for (const policy of holders) {
      for (const setting of policy.settings.filter((s) => s.path === path)) {
        const origin = {
          file: policy.file,
          line: setting.line,
          ...(setting.registryValue !== undefined ? { registryValue: setting.registryValue } : {}),
        };
        const row: OverviewValue = {
          path,
          value: setting.globs ?? setting.value,
          enforce: setting.enforce,
          status: 'constraint',
          policy: policy.name,
          scope: policy.scope,
          priority: policy.priority,
          format: isRegistry(setting) ? 'registry.pol' : 'xml',
          file: policy.file,
          ...(isRegistry(setting) ? { registryValue: setting.registryValue } : { line: setting.line }),
          source: describeOrigin(origin),
          appliesTo: policy.appliesTo,
        };
        const overlapping = holders.filter((other) => policiesOverlap(other.appliesTo, policy.appliesTo));
        const merged = mergePolicyLayers(entry, overlapping);
        for (const c of merged.conflicts) conflicts.set(c.message, { path, kind: 'conflict', message: c.message });
        for (const c of merged.contradictions)
          conflicts.set(c.message, { path, kind: 'contradiction', message: c.message });
        if (setting.enforce === 'mandatory' || setting.enforce === 'recommended') {
          const winner = merged.mandatory.winner ?? merged.recommended.winner;
          const mine = winner && winner.policy === policy.name && winner.enforce === setting.enforce;
          if (mine || !winner) row.status = 'active';
          else {
            row.status = JSON.stringify(winner.value) === JSON.stringify(setting.value) ? 'superseded' : 'overridden';
            row.winner = { policy: winner.policy, source: describeOrigin(winner), value: winner.value };
          }
        }
        values.push(row);
      }
    }
  }
  return {
    sources: set.sources,
    ...(set.managed !== undefined ? { managed: set.managed } : {}),
    ...(set.simulation ? { simulation: true } : {}),
    values,
    conflicts: [...conflicts.values()],
    failures: set.failures,
    warnings: set.warnings,
  };
}
