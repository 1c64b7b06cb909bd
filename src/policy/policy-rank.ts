import type { Policy } from './policy';
import { globsIntersect, matchesAny } from './glob';

/** A policy's rank: machine scope beats user scope; within a scope, higher priority wins. */
export function policyRank(policy: Pick<Policy, 'scope' | 'priority'>): number {
  return (policy.scope === 'machine' ? 1_000_000 : 0) + policy.priority;
}

export function describeRank(policy: Pick<Policy, 'scope' | 'priority'>): string {
  return `${policy.scope} scope, priority ${policy.priority}`;
}

/** Whether a policy applies to a profile: every list that is set must have a matching glob. */
export function policyApplies(appliesTo: Policy['appliesTo'], profileName: string, host: string): boolean {
  return (appliesTo.profiles.length === 0 || matchesAny(appliesTo.profiles, profileName)) && (appliesTo.hosts.length === 0 || matchesAny(appliesTo.hosts, host));
}

/** Whether some profile could be covered by both policies. */
export function policiesOverlap(a: Policy['appliesTo'], b: Policy['appliesTo']): boolean {
  const lists = (x: string[]): string[] => (x.length === 0 ? ['*'] : x);
  const overlap = (x: string[], y: string[]): boolean => lists(x).some((g) => lists(y).some((h) => globsIntersect(g, h)));
  return overlap(a.profiles, b.profiles) && overlap(a.hosts, b.hosts);
}
