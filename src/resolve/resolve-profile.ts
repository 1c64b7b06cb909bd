/**
 * resolveProfile: a profile + the policy set -> the Resolution (DESIGN.md). Precedence:
 * built-in default < recommended < profile < mandatory; then floors, ceilings, allow and
 * deny lists constrain the chosen value; then the invariants are checked on the result.
 * Any violation refuses the session: there is no best effort. Pure and fast (merged policy
 * layers are cached per combination of applicable policies).
 */
import { globMatches } from '../policy/glob';
import { canonicalHost } from '../policy/canonical-host';
import { hostPatterns, isAddressPattern, patternMatchesHost } from '../policy/host-pattern';
import { ruleMatchesValue } from '../policy/list-rules';
import { mergePolicyLayers, type MergedSetting } from '../policy/merge-policy-layers';
import type { Policy, PolicyFailure } from '../policy/policy';
import { compareValues, policyCatalog, sameValue } from '../policy/policy-catalog';
import { policyApplies } from '../policy/policy-rank';
import type { PolicySet } from '../policy/policy-set';
import { formatPolicyProblem } from '../policy/policy';
import { DEFAULT_EXPLICIT_PORT, DEFAULT_IMPLICIT_PORT } from '../settings/apply-defaults';
import type { SessionProfile } from '../settings/generated/session-profile';
import { checkInvariants } from './resolution-invariants';
import type { DialRules, PolicyOrigin, ResolvedSetting, Resolution, Violation } from './resolution';
import { listSettings } from '../settings/settings-catalog';
import { valueAtPath } from '../settings/describe-settings';
import {
  canonicalProfileHosts,
  enforceIntent,
  FILE_RULE_PATHS,
  HOST_RULE_PATHS,
  type ResolveOptions,
} from './resolution-enforcement';
import { describeOrigin } from '../policy/describe-origin';

export interface ProfileToResolve {
  raw: SessionProfile;
  file?: string;
  /** SHA-256 of the profile file's bytes (LoadedProfile.sha256), carried to the resolution for the audit trail. */
  sha256?: string;
}

type LayerCache = Map<string, Map<string, MergedSetting>>;
const caches = new WeakMap<PolicySet, LayerCache>();

function mergedFor(set: PolicySet, applicable: Policy[], indexKey: string): Map<string, MergedSetting> {
  let cache = caches.get(set);
  if (!cache) caches.set(set, (cache = new Map()));
  let merged = cache.get(indexKey);
  if (!merged) {
    merged = new Map();
    const paths = new Set(applicable.flatMap((p) => p.settings.map((s) => s.path)));
    for (const path of paths) {
      const entry = policyCatalog().get(path);
      if (entry) merged.set(path, mergePolicyLayers(entry, applicable));
    }
    cache.set(indexKey, merged);
  }
  return merged;
}

function failureApplies(
  failure: PolicyFailure,
  name: string,
  hosts: readonly string[],
  addressesOf: (host: string) => readonly string[],
): boolean {
  return (
    failure.appliesTo === undefined ||
    hosts.some((host) => policyApplies(failure.appliesTo as Policy['appliesTo'], name, host, addressesOf(host)))
  );
}

/** The schema default of a setting, or the derived one (port from tls.implicit, server names from hosts). */
function defaultOf(path: string, resolved: Record<string, ResolvedSetting>): unknown {
  switch (path) {
    case 'port':
      return resolved['tls.implicit']?.value === true ? DEFAULT_IMPLICIT_PORT : DEFAULT_EXPLICIT_PORT;
    case 'tls.serverName':
      return resolved.host?.value;
    case 'proxy.serverName':
      return resolved['proxy.host']?.value;
    default:
      return schemaDefaults().get(path);
  }
}

let defaults: Map<string, unknown> | undefined;

function schemaDefaults(): Map<string, unknown> {
  defaults ??= new Map(listSettings().map((s) => [s.path, s.schema.default]));
  return defaults;
}

const DERIVED = new Set(['port', 'tls.serverName', 'proxy.serverName']);

let order: ReturnType<typeof listSettings> | undefined;

/** Catalog order, except that derived defaults depend on other resolved settings: those last. */
function resolutionOrder(): ReturnType<typeof listSettings> {
  if (!order) {
    const all = listSettings();
    order = [...all.filter((s) => !DERIVED.has(s.path)), ...all.filter((s) => DERIVED.has(s.path))];
  }
  return order;
}

/**
 * Resolves a profile. Hosts are canonicalised first (canonical-host.ts). Applicability is
 * decided on the effective host: the policies that apply at the profile's host, then those at
 * the host a mandate sends the session to, until nothing changes (a policy that redirected the
 * session keeps applying). `options.addresses` gives what host names resolve to, for policies
 * scoped by address or CIDR (the session layer looks them up); the engine checks every dialed
 * address against `resolution.dialRules`.
 */
export function resolveProfile(profile: ProfileToResolve, set: PolicySet, options: ResolveOptions = {}): Resolution {
  const canonical = canonicalProfileHosts(profile.raw);
  const raw = canonical.raw;
  const addressesOf = (host: string): readonly string[] => {
    const known = options.addresses?.get(host);
    if (known) return known;
    const parsed = canonicalHost(host);
    return parsed && parsed.kind !== 'name' ? [parsed.host] : [];
  };
  const chosen = new Set<number>();
  const visited: string[] = [];
  let host = raw.host;
  let resolution: Resolution | undefined;
  for (let round = 0; round < 16; round++) {
    visited.push(host);
    const before = chosen.size;
    set.policies.forEach((policy, index) => {
      if (policyApplies(policy.appliesTo, raw.name, host, addressesOf(host))) chosen.add(index);
    });
    if (resolution && chosen.size === before) break;
    resolution = resolveApplicable(
      profile,
      raw,
      set,
      [...chosen].sort((a, b) => a - b),
      visited,
      addressesOf,
    );
    const effective = canonicalHost(String(resolution.settings.host?.value ?? host))?.host ?? host;
    if (visited.includes(effective) && chosen.size === before) break;
    host = effective;
  }
  return enforceIntent(resolution as Resolution, {
    set,
    raw,
    canonicalNotes: canonical.notes,
    canonicalProblems: canonical.problems,
    applicable: [...chosen].sort((a, b) => a - b).map((i) => set.policies[i]),
    addressesOf,
    hosts: visited,
  });
}

function resolveApplicable(
  profile: ProfileToResolve,
  raw: SessionProfile,
  set: PolicySet,
  applicableIndexes: number[],
  hosts: readonly string[],
  addressesOf: (host: string) => readonly string[],
): Resolution {
  const applicable = applicableIndexes.map((i) => set.policies[i]);
  const merged = mergedFor(set, applicable, applicableIndexes.join(','));

  const settings: Record<string, ResolvedSetting> = {};
  const violations: Violation[] = [];
  const dial: DialRules = { deny: [], allow: [], unappliedAddressScoped: [] };
  const conflicts: Resolution['conflicts'] = [];

  for (const failure of set.failures) {
    if (!failureApplies(failure, raw.name, hosts, addressesOf)) continue;
    const first = failure.problems[0];
    violations.push({
      path: '',
      policy: failure.name,
      file: failure.file,
      ...(first && first.line !== null ? { line: first.line, column: first.column ?? 1 } : {}),
      unusablePolicy: true,
      message: `policy file ${failure.file} is unusable (${first ? formatPolicyProblem(first) : 'unknown problem'}); sessions it could apply to are refused until it is fixed`,
    });
  }

  const ordered = listSettings();
  for (const setting of resolutionOrder()) {
    const profileValue = valueAtPath(raw, setting.path);
    const layer = merged.get(setting.path);
    const resolved = resolveSetting(
      setting.path,
      profileValue,
      defaultOf(setting.path, settings),
      layer,
      violations,
      dial,
    );
    settings[setting.path] = resolved;
    if (layer) {
      conflicts.push(...layer.conflicts);
      for (const c of layer.contradictions) {
        const origin = c.origins[0];
        violations.push({
          path: c.path,
          message: c.message,
          policy: origin?.policy,
          file: origin?.file,
          line: origin?.line,
          column: origin?.column,
          ...(origin?.registryValue !== undefined ? { registryValue: origin.registryValue } : {}),
        });
      }
    }
  }
  // Catalog order in the output, whatever order they were resolved in.
  const inOrder: Record<string, ResolvedSetting> = {};
  for (const setting of ordered) inOrder[setting.path] = settings[setting.path];

  violations.push(...checkInvariants(inOrder));
  const warnings = [...set.warnings, ...settingWarnings(inOrder)];
  return {
    profile: raw.name,
    ...(profile.file !== undefined ? { profileFile: profile.file } : {}),
    ...(profile.sha256 !== undefined ? { profileSha256: profile.sha256 } : {}),
    decision: violations.length > 0 ? 'refuse' : 'allow',
    settings: inOrder,
    violations,
    conflicts,
    warnings,
    policies: applicable.map((p) => ({
      name: p.name,
      file: p.file,
      sha256: p.sha256,
      scope: p.scope,
      priority: p.priority,
    })),
    dialRules: dial,
  };
}

function fromPolicy(layerValue: PolicyOrigin): PolicyOrigin {
  return {
    policy: layerValue.policy,
    file: layerValue.file,
    line: layerValue.line,
    column: layerValue.column,
    ...(layerValue.registryValue !== undefined ? { registryValue: layerValue.registryValue } : {}),
  };
}

/** Allow and deny on a host: name globs on the canonical host; address and CIDR rules on an IP host now, on a name's dialed address later. */
function checkHostRules(
  path: string,
  result: ResolvedSetting,
  layer: MergedSetting,
  violations: Violation[],
  dial: DialRules,
): void {
  const value = result.value as string;
  const host = canonicalHost(value);
  if (!host) {
    violations.push({
      path,
      message: `${path} "${value}" is not a host name or IP address; host rules can't be checked, so the session is refused`,
    });
    return;
  }
  let refused = false;
  // A name's address rules wait for the dial: the server's (host) and the proxy's (proxy.host).
  const dialedLater = (path === 'host' || path === 'proxy.host') && host.kind === 'name';
  const later = path === 'host' ? dial : (dial.proxy ??= { deny: [], allow: [] });
  for (const allow of layer.allowLists) {
    const patterns = hostPatterns(allow.globs);
    if (patterns.some((p) => patternMatchesHost(p, host))) continue;
    const addressRules = patterns.filter(isAddressPattern).map((p) => p.text);
    if (dialedLater && addressRules.length > 0) {
      later.allow.push({ ...fromPolicy(allow), patterns: addressRules });
      continue;
    }
    refused = true;
    const hint =
      host.kind === 'name' && addressRules.length > 0
        ? ` (its address rules ${addressRules.join(', ')} are checked on the address dialed, which ${path} does not allow here)`
        : '';
    violations.push({
      path,
      ...fromPolicy(allow),
      message: `${path} ${host.host} is not allowed by policy ${allow.policy} (${describeOrigin(allow)}), which allows only ${allow.globs.join(', ')}${hint}`,
    });
  }
  for (const deny of layer.denyLists) {
    const patterns = hostPatterns(deny.globs);
    const match = patterns.find((p) => patternMatchesHost(p, host));
    if (match) {
      refused = true;
      const spelled = host.host !== value ? ` (${value} is ${host.host} written canonically)` : '';
      violations.push({
        path,
        ...fromPolicy(deny),
        message: `${path} ${host.host} is denied by policy ${deny.policy} (${describeOrigin(deny)}): it matches ${match.text}${spelled}`,
      });
      continue;
    }
    const addressRules = patterns.filter(isAddressPattern).map((p) => p.text);
    if (dialedLater && addressRules.length > 0) later.deny.push({ ...fromPolicy(deny), patterns: addressRules });
  }
  if (!refused && result.status === 'profile') result.status = 'kept';
}

/** Allow and deny on numbers (`21`, `990`, `1000-1100`) and lists (each element must pass). */
function checkListRules(path: string, result: ResolvedSetting, layer: MergedSetting, violations: Violation[]): void {
  const items = Array.isArray(result.value) ? (result.value as unknown[]) : [result.value];
  const matches = (rule: string, item: unknown): boolean => ruleMatchesValue(path, rule, item);
  let refused = false;
  for (const allow of layer.allowLists) {
    const outside = items.filter((item) => !allow.globs.some((rule) => matches(rule, item)));
    if (outside.length === 0) continue;
    refused = true;
    violations.push({
      path,
      ...fromPolicy(allow),
      message: `${path} ${outside.map((v) => JSON.stringify(v)).join(', ')} is not allowed by policy ${allow.policy} (${describeOrigin(allow)}), which allows only ${allow.globs.join(', ')}`,
    });
  }
  for (const deny of layer.denyLists) {
    const denied = items.filter((item) => deny.globs.some((rule) => matches(rule, item)));
    if (denied.length === 0) continue;
    refused = true;
    violations.push({
      path,
      ...fromPolicy(deny),
      message: `${path} ${denied.map((v) => JSON.stringify(v)).join(', ')} is denied by policy ${deny.policy} (${describeOrigin(deny)})`,
    });
  }
  if (!refused && result.status === 'profile') result.status = 'kept';
}

function resolveSetting(
  path: string,
  profileValue: unknown,
  defaultValue: unknown,
  layer: MergedSetting | undefined,
  violations: Violation[],
  dial: DialRules,
): ResolvedSetting {
  const mandatory = layer?.mandatory.winner;
  const recommended = layer?.recommended.winner;
  let result: ResolvedSetting;
  if (mandatory) {
    const same = profileValue !== undefined && sameValue(profileValue, mandatory.value);
    result = {
      value: mandatory.value,
      source: 'policy',
      ...fromPolicy(mandatory),
      enforce: 'mandatory',
      status: profileValue === undefined ? 'applied' : same ? 'kept' : 'overridden',
    };
    if (profileValue !== undefined && !same) result.profileValue = profileValue;
    // A profile that turns TLS off under a TLS mandate is refused, not silently upgraded.
    if (path === 'tls.enabled' && mandatory.value === true && profileValue === false) {
      violations.push({
        path,
        ...fromPolicy(mandatory),
        message: `tls.enabled: the profile turns TLS off, but policy ${mandatory.policy} (${describeOrigin(mandatory)}) makes TLS mandatory; remove "enabled": false from the profile`,
      });
    }
  } else if (profileValue !== undefined) {
    result = { value: profileValue, source: 'profile', status: 'profile' };
    // The profile overrode a recommendation: allowed, but recorded (and counted by `audit`).
    if (recommended && !sameValue(profileValue, recommended.value))
      result.rejectedRecommendation = { ...fromPolicy(recommended), value: recommended.value };
  } else if (recommended) {
    result = {
      value: recommended.value,
      source: 'policy',
      ...fromPolicy(recommended),
      enforce: 'recommended',
      status: 'applied',
    };
  } else {
    result = { value: defaultValue, source: 'default', status: 'default' };
  }
  if (!layer) return result;

  const losing = [...layer.mandatory.losers, ...(mandatory ? [] : layer.recommended.losers)];
  if (mandatory && recommended)
    losing.push(
      {
        ...fromPolicy(recommended),
        value: recommended.value,
        enforce: 'recommended',
        type: sameValue(recommended.value, mandatory.value) ? 'supersede' : 'override',
      },
      ...layer.recommended.losers,
    );
  if (losing.length > 0) result.conflicts = losing;
  if (layer.constraints.length > 0) result.constraints = layer.constraints;

  const { floor, ceiling, entry } = layer;
  if (result.value !== undefined && !mandatory) {
    if (floor && compareValues(entry, result.value, floor.value) < 0) {
      result = {
        ...result,
        value: floor.value,
        source: 'policy',
        ...fromPolicy(floor),
        enforce: 'floor',
        status: 'raised',
      };
      if (profileValue !== undefined) result.profileValue = profileValue;
    } else if (ceiling && compareValues(entry, result.value, ceiling.value) > 0) {
      result = {
        ...result,
        value: ceiling.value,
        source: 'policy',
        ...fromPolicy(ceiling),
        enforce: 'ceiling',
        status: 'lowered',
      };
      if (profileValue !== undefined) result.profileValue = profileValue;
    } else if ((floor || ceiling) && result.status === 'profile') {
      result.status = 'kept';
    }
  }

  if (HOST_RULE_PATHS.has(path) && typeof result.value === 'string') {
    // Host rules: canonical host, address and CIDR rules (the dialed address is checked later).
    const canonical = canonicalHost(result.value);
    if (canonical && canonical.host !== result.value) result = { ...result, value: canonical.host };
    if (layer.allowLists.length > 0 || layer.denyLists.length > 0)
      checkHostRules(path, result, layer, violations, dial);
    return result;
  }
  if (
    result.value !== undefined &&
    typeof result.value !== 'string' &&
    (layer.allowLists.length > 0 || layer.denyLists.length > 0)
  ) {
    checkListRules(path, result, layer, violations);
    return result;
  }
  // File paths are matched once anchored (resolution-enforcement.ts), not as the profile spells them.
  if (FILE_RULE_PATHS.has(path)) return result;
  if (typeof result.value === 'string' && (layer.allowLists.length > 0 || layer.denyLists.length > 0)) {
    const value = result.value;
    let refused = false;
    for (const allow of layer.allowLists) {
      if (!allow.globs.some((glob) => globMatches(glob, value))) {
        refused = true;
        violations.push({
          path,
          ...fromPolicy(allow),
          message: `${path} ${value} is not allowed by policy ${allow.policy} (${describeOrigin(allow)}), which allows only ${allow.globs.join(', ')}`,
        });
      }
    }
    for (const deny of layer.denyLists) {
      const glob = deny.globs.find((g) => globMatches(g, value));
      if (glob) {
        refused = true;
        violations.push({
          path,
          ...fromPolicy(deny),
          message: `${path} ${value} is denied by policy ${deny.policy} (${describeOrigin(deny)}): it matches ${glob}`,
        });
      }
    }
    if (!refused && result.status === 'profile') result.status = 'kept';
  }
  return result;
}

/** Allowed, but worth saying: what the effective settings leave unprotected. */
function settingWarnings(settings: Record<string, ResolvedSetting>): string[] {
  const value = (path: string): unknown => settings[path]?.value;
  const warnings: string[] = [];
  if (
    value('proxy.enabled') === true &&
    value('proxy.type') === 'socks5' &&
    value('proxy.authorization') !== undefined
  ) {
    warnings.push(
      'proxy.type socks5: the leg to the proxy is not encrypted, so the proxy password travels in clear (RFC 1929); the FTP session itself stays TLS end to end. Use https-connect where the proxy password matters.',
    );
  }
  if (value('tls.enabled') === false && value('password') !== undefined)
    warnings.push(
      'tls.enabled is false: the password (PASS) and every file travel in clear on the network, readable by anyone on the path; enable TLS unless the server offers none',
    );
  if (value('proxy.enabled') === true)
    warnings.push(
      'through a proxy, how the proxy reaches the FTP host is unknown to ftpsctl; only the TLS of the FTP session protects that leg',
    );
  return warnings;
}
