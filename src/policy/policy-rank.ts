import type { Policy } from './policy';
import { canonicalHost } from './canonical-host';
import { globsIntersect, matchesAny } from './glob';
import { hostPatterns, isAddressPattern, patternCoversAddress, patternMatchesHost } from './host-pattern';

/** The highest `priority` a policy file may declare (schemas/policy.schema.json, policy.xsd). */
export const MAX_DECLARED_PRIORITY = 999_999;

/**
 * A policy's rank: scope first, then priority. Policy files declare 0 to MAX_DECLARED_PRIORITY,
 * a Registry.pol ranks one above (registry-policy.ts GROUP_POLICY_PRIORITY), and every
 * machine-scope policy ranks above every user-scope one.
 */
export function policyRank(policy: Pick<Policy, 'scope' | 'priority'>): number {
  return (policy.scope === 'machine' ? 10_000_000 : 0) + policy.priority;
}

export function describeRank(policy: Pick<Policy, 'scope' | 'priority'>): string {
  return `${policy.scope} scope, priority ${policy.priority}`;
}

/**
 * Whether a policy applies to a session: every list that is set must match. Host rules match
 * the canonical host (canonical-host.ts); address and CIDR rules also match any of `addresses`
 * (what the host resolves to, when known). A host that is no host at all matches only `*`.
 */
export function policyApplies(
  appliesTo: Policy['appliesTo'],
  profileName: string,
  host: string,
  addresses: readonly string[] = [],
): boolean {
  if (appliesTo.profiles.length > 0 && !matchesAny(appliesTo.profiles, profileName)) return false;
  return appliesTo.hosts.length === 0 || hostRuleMatches(appliesTo.hosts, host, addresses);
}

/** Whether any host rule matches the host as written or, for address rules, one of its addresses. */
export function hostRuleMatches(
  rules: readonly string[],
  hostText: string,
  addresses: readonly string[] = [],
): boolean {
  const host = canonicalHost(hostText);
  const patterns = hostPatterns(rules);
  if (host && patterns.some((p) => patternMatchesHost(p, host))) return true;
  if (!host && rules.includes('*')) return true;
  return addresses.some((address) => {
    const dialed = canonicalHost(address);
    return dialed !== undefined && patterns.some((p) => isAddressPattern(p) && patternCoversAddress(p, dialed));
  });
}

/** Whether a policy's appliesTo has address or CIDR host rules (then applicability needs the dialed address). */
export function scopedByAddress(appliesTo: Policy['appliesTo']): boolean {
  return hostPatterns(appliesTo.hosts).some(isAddressPattern);
}

/** Whether some profile could be covered by both policies. */
export function policiesOverlap(a: Policy['appliesTo'], b: Policy['appliesTo']): boolean {
  const lists = (x: string[]): string[] => (x.length === 0 ? ['*'] : x);
  const overlap = (x: string[], y: string[]): boolean =>
    lists(x).some((g) => lists(y).some((h) => globsIntersect(g, h)));
  return overlap(a.profiles, b.profiles) && overlap(a.hosts, b.hosts);
}
