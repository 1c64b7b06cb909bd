/**
 * `policy validate` on a whole set: contradictions no profile could repair, found between
 * every pair of policies that could apply to the same session (and within each policy), and
 * equal-rank conflicts, where the more secure value wins. Pure.
 */
import { checkInvariants } from '../session/resolution-invariants';
import type { Conflict, ResolvedSetting } from '../session/resolution';
import { mergePolicyLayers } from './merge-policy-layers';
import type { Policy, PolicyProblem } from './policy';
import { policyCatalog } from './policy-catalog';
import { policiesOverlap } from './policy-rank';

export interface PolicySetCheck {
  contradictions: PolicyProblem[];
  conflicts: Conflict[];
}

export function checkPolicySet(policies: readonly Policy[]): PolicySetCheck {
  const contradictions = new Map<string, PolicyProblem>();
  const conflicts = new Map<string, Conflict>();
  const groups: Policy[][] = policies.map((p) => [p]);
  for (let i = 0; i < policies.length; i++) {
    for (let j = i + 1; j < policies.length; j++) {
      if (policiesOverlap(policies[i].appliesTo, policies[j].appliesTo)) groups.push([policies[i], policies[j]]);
    }
  }
  for (const group of groups) {
    const decided: Record<string, ResolvedSetting> = {};
    for (const path of new Set(group.flatMap((p) => p.settings.map((s) => s.path)))) {
      const entry = policyCatalog().get(path);
      if (!entry) continue;
      const merged = mergePolicyLayers(entry, group);
      for (const c of merged.contradictions) {
        const origin = c.origins[0];
        contradictions.set(c.message, { file: origin.file, line: origin.line, column: origin.column, message: c.message });
      }
      for (const c of merged.conflicts) conflicts.set(c.message, c);
      // What policies alone pin down: a mandatory value, else the bound a profile could at best reach.
      const pinned = merged.mandatory.winner ?? merged.floor ?? merged.ceiling;
      if (pinned) decided[path] = { value: pinned.value, source: 'policy', status: 'applied', enforce: pinned.enforce, policy: pinned.policy, file: pinned.file, line: pinned.line, column: pinned.column };
    }
    for (const v of checkInvariants(decided, { decidedByPolicyOnly: true })) {
      const names = group.map((p) => p.name).join(' + ');
      const message = `${v.message} (policies ${names} together)`;
      contradictions.set(message, { file: v.file ?? group[0].file, line: v.line ?? group[0].line, column: v.column ?? group[0].column, message });
    }
  }
  return {
    contradictions: [...contradictions.values()].sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0)),
    conflicts: [...conflicts.values()],
  };
}
