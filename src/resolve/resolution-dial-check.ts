/**
 * Host rules on the address actually dialed (issue 10): a name that resolves to a denied
 * address is denied too, for the control connection and every data connection; through a
 * proxy, the rules apply to the name the proxy is asked to reach. Also the DNS look-up that
 * lets policies scoped by address or CIDR decide applicability before the session starts.
 */
import { lookup } from 'node:dns/promises';
import { FtpsctlError } from '../errors';
import { canonicalHost } from '../policy/canonical-host';
import { parseHostPattern, patternCoversAddress, type HostPattern } from '../policy/host-pattern';
import type { PolicySet } from '../policy/policy-set';
import { scopedByAddress } from '../policy/policy-rank';
import { describeOrigin } from '../policy/describe-origin';
import type { DialRules, Resolution } from './resolution';
import { resolveProfile, type ProfileToResolve } from './resolve-profile';

export type HostLookup = (host: string) => Promise<string[]>;

export const systemLookup: HostLookup = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const patterns = (texts: readonly string[]): HostPattern[] =>
  texts.map(parseHostPattern).filter((p): p is HostPattern => typeof p !== 'string');

/**
 * Resolves for a session: when a policy is scoped by address or CIDR and the host (or the host
 * a mandate leads to) is a name, the name is looked up first so that policy's applicability is
 * decided on where the session really goes. A name that does not resolve is left to the dial
 * (which then fails to connect).
 */
export async function resolveForSession(
  profile: ProfileToResolve,
  set: PolicySet,
  resolveHost: HostLookup = systemLookup,
): Promise<Resolution> {
  let resolution = resolveProfile(profile, set);
  // Unusable files too: a failure scoped by address refuses what it would apply to, so its applicability needs the address as much.
  const byAddress = [...set.policies, ...set.failures].some((p) => p.appliesTo && scopedByAddress(p.appliesTo));
  if (!byAddress) return resolution;
  const addresses = new Map<string, string[]>();
  for (let round = 0; round < 4; round++) {
    const hosts = [profile.raw.host, String(resolution.settings.host?.value ?? '')]
      .map((h) => canonicalHost(h))
      .filter((h) => h?.kind === 'name');
    const missing = hosts.map((h) => h?.host as string).filter((h) => !addresses.has(h));
    if (missing.length === 0) break;
    for (const host of missing) addresses.set(host, await resolveHost(host).catch(() => []));
    resolution = resolveProfile(profile, set, { addresses });
  }
  return resolution;
}

/** The proxy's dialed address against proxy.host's address rules (a proxy host written as a name). */
function checkProxyAddress(profile: string, address: string, rules: DialRules['proxy']): void {
  const target = canonicalHost(address);
  const what = `the connection of profile "${profile}" to its proxy at ${address}`;
  if (!target || target.kind === 'name') {
    if (rules && (rules.deny.length > 0 || rules.allow.length > 0))
      refuse(`${what} is refused: ${address} is not an IP address, so the proxy.host address rules can't be checked`);
    return;
  }
  for (const deny of rules?.deny ?? []) {
    const match = patterns(deny.patterns).find((p) => patternCoversAddress(p, target));
    if (match)
      refuse(
        `${what} is refused before connecting: the address ${target.host} is denied for proxy.host by policy ${deny.policy} (${describeOrigin(deny)}): it matches ${match.text}`,
      );
  }
  for (const allow of rules?.allow ?? []) {
    if (!patterns(allow.patterns).some((p) => patternCoversAddress(p, target)))
      refuse(
        `${what} is refused before connecting: the address ${target.host} is not allowed for proxy.host by policy ${allow.policy} (${describeOrigin(allow)}), which allows only ${allow.patterns.join(', ')} by address`,
      );
  }
}

function refuse(message: string): never {
  throw new FtpsctlError('FTPSCTL_ERR_REFUSED_BY_POLICY', message);
}

/**
 * The engine's `checkDialedAddress` for a resolution: throws FTPSCTL_ERR_REFUSED_BY_POLICY
 * (exit 4) before a connection to an address that a deny rule covers, that no address rule of
 * a pending allow list covers, or that a policy which did not apply is scoped to.
 */
export function dialedAddressCheck(
  resolution: Resolution,
): (address: string, purpose: 'control' | 'data' | 'proxy', via: 'direct' | 'proxy') => void {
  const rules = resolution.dialRules ?? { deny: [], allow: [], unappliedAddressScoped: [] };
  return (address, purpose, via) => {
    if (purpose === 'proxy') return checkProxyAddress(resolution.profile, address, rules.proxy);
    const target = canonicalHost(address);
    const what = `the ${purpose} connection of profile "${resolution.profile}" to ${address}${via === 'proxy' ? ' (through the proxy)' : ''}`;
    if (!target) refuse(`${what} is refused: ${address} is not a host name or IP address`);
    if (target.kind === 'name') {
      // Through a proxy the proxy resolves the name: address rules can't be checked, so an allow list that needs them fails closed.
      const pending = rules.allow[0];
      if (pending)
        refuse(
          `${what} is refused: policy ${pending.policy} (${describeOrigin(pending)}) allows this host only at the addresses ${pending.patterns.join(', ')}, and through a proxy the address is not known to ftpsctl; allow the host by name or connect directly`,
        );
      return;
    }
    for (const deny of rules.deny) {
      const match = patterns(deny.patterns).find((p) => patternCoversAddress(p, target));
      if (match)
        refuse(
          `${what} is refused before connecting: the address ${target.host} is denied by policy ${deny.policy} (${describeOrigin(deny)}): it matches ${match.text}`,
        );
    }
    for (const allow of rules.allow) {
      if (!patterns(allow.patterns).some((p) => patternCoversAddress(p, target))) {
        refuse(
          `${what} is refused before connecting: the address ${target.host} is not allowed by policy ${allow.policy} (${describeOrigin(allow)}), which allows only ${allow.patterns.join(', ')} by address`,
        );
      }
    }
    for (const scoped of rules.unappliedAddressScoped) {
      const match = patterns(scoped.patterns).find((p) => patternCoversAddress(p, target));
      if (match)
        refuse(
          `${what} is refused before connecting: policy ${scoped.policy} (${scoped.file}) applies to ${match.text}, which covers the address dialed (${target.host}), but the session was resolved without it; run ftpsctl resolve to see the settings it would impose`,
        );
    }
  };
}
