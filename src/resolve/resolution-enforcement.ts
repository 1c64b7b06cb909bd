/**
 * The administrator's intent, not only the letter (issue 10), applied to a resolution:
 *  - hosts in one canonical form before any matching (canonical-host.ts);
 *  - any TLS mandate implies TLS: a profile that turns TLS off under a policy that mandates,
 *    floors or caps a `tls.*` setting is REFUSED (not silently upgraded), naming the mandates;
 *  - mandated audit logs add up: every mandatory `audit.logFile` of every applicable policy
 *    (and the profile's own) gets the events, none is dropped;
 *  - policies scoped by address or CIDR that did not apply are handed to the dial check, so a
 *    connection to an address they cover is refused rather than run without them;
 *  - every policy file read is named with its scope, source and SHA-256 (`policySources`),
 *    with `managed` and `simulation`.
 * Pure (paths are joined, not read).
 */
import path from 'node:path';
import { canonicalHost } from '../policy/canonical-host';
import { globMatches, matchesAny } from '../policy/glob';
import { hostPatterns, isAddressPattern } from '../policy/host-pattern';
import type { Policy } from '../policy/policy';
import type { PolicySet } from '../policy/policy-set';
import { describeOrigin } from '../policy/describe-origin';
import type { SessionProfile } from '../settings/generated/session-profile';
import { policySourceRecords } from '../policy/policy-sources';
import type { Resolution, Violation } from './resolution';

export interface ResolveOptions {
  /** What host names resolve to (canonical host -> addresses), for policies scoped by address or CIDR. */
  addresses?: ReadonlyMap<string, readonly string[]>;
}

/** Settings whose values are hosts: canonicalised, and matched with host rules (names, addresses, CIDR). */
export const HOST_RULE_PATHS: ReadonlySet<string> = new Set([
  'host',
  'proxy.host',
  'tls.serverName',
  'proxy.serverName',
]);

/** Settings whose values are files: allow/deny lists match the anchored absolute path, case-sensitively. */
export const FILE_RULE_PATHS: ReadonlySet<string> = new Set(['tls.pki.caFile', 'proxy.caFile']);

/** The profile with its hosts canonical; notes for hosts spelled otherwise; problems for non-hosts. */
export function canonicalProfileHosts(raw: SessionProfile): {
  raw: SessionProfile;
  notes: string[];
  problems: Violation[];
} {
  const notes: string[] = [];
  const problems: Violation[] = [];
  const fix = (settingPath: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const canonical = canonicalHost(value);
    if (!canonical) {
      problems.push({
        path: settingPath,
        message: `${settingPath} "${value}" is not a host name or IP address, so no host rule can be checked on it; fix it in the profile`,
      });
      return value;
    }
    if (canonical.host !== value)
      notes.push(
        `${settingPath} "${value}" is ${canonical.host} written canonically; policy rules and the connection use ${canonical.host}`,
      );
    return canonical.host;
  };
  const copy: SessionProfile = { ...raw, host: fix('host', raw.host) ?? raw.host };
  if (raw.tls?.serverName !== undefined)
    copy.tls = { ...raw.tls, serverName: fix('tls.serverName', raw.tls.serverName) as string };
  if (raw.proxy?.host !== undefined || raw.proxy?.serverName !== undefined) {
    copy.proxy = { ...raw.proxy } as NonNullable<SessionProfile['proxy']>;
    if (raw.proxy.host !== undefined) copy.proxy.host = fix('proxy.host', raw.proxy.host) as string;
    if (raw.proxy.serverName !== undefined)
      copy.proxy.serverName = fix('proxy.serverName', raw.proxy.serverName) as string;
  }
  return { raw: copy, notes, problems };
}

export interface IntentContext {
  set: PolicySet;
  raw: SessionProfile;
  canonicalNotes: string[];
  canonicalProblems: Violation[];
  applicable: Policy[];
  addressesOf: (host: string) => readonly string[];
  /** Every host applicability was decided on (the profile's, then where mandates led). */
  hosts: string[];
}

const TLS_CONSTRAINTS = new Set(['mandatory', 'floor', 'ceiling']);

export function enforceIntent(resolution: Resolution, context: IntentContext): Resolution {
  const violations = [...context.canonicalProblems, ...resolution.violations];
  const warnings = [...context.canonicalNotes, ...resolution.warnings];

  // Any TLS mandate implies TLS: refused, never sent in clear.
  if (resolution.settings['tls.enabled']?.value === false && !violations.some((v) => v.path === 'tls.enabled')) {
    const mandates = context.applicable.flatMap((policy) =>
      policy.settings
        .filter((s) => s.path.startsWith('tls.') && s.path !== 'tls.enabled' && TLS_CONSTRAINTS.has(s.enforce))
        .map((s) => ({ policy, setting: s })),
    );
    if (mandates.length > 0) {
      const first = mandates[0];
      const listed = mandates.map(
        (m) =>
          `${m.setting.path} ${m.setting.enforce} in policy ${m.policy.name} (${describeOrigin({ file: m.policy.file, line: m.setting.line, ...(m.setting.registryValue !== undefined ? { registryValue: m.setting.registryValue } : {}) })})`,
      );
      violations.push({
        path: 'tls.enabled',
        policy: first.policy.name,
        file: first.policy.file,
        line: first.setting.line,
        column: first.setting.column,
        message: `tls.enabled is false, but TLS is mandated: ${listed.join('; ')}. Any TLS mandate implies TLS, so the session is refused (ftpsctl does not silently turn TLS on); remove "enabled": false from the profile`,
      });
    }
  }

  // Trust anchors: allow and deny lists on the file as it will be read (anchored like anchor-paths.ts).
  for (const settingPath of FILE_RULE_PATHS) {
    const setting = resolution.settings[settingPath];
    if (typeof setting?.value !== 'string') continue;
    const base =
      setting.source === 'policy' && setting.file
        ? path.dirname(path.resolve(setting.file))
        : resolution.profileFile
          ? path.dirname(path.resolve(resolution.profileFile))
          : undefined;
    const file = base ? path.resolve(base, setting.value) : setting.value;
    for (const policy of context.applicable) {
      for (const rule of policy.settings) {
        if (rule.path !== settingPath || (rule.enforce !== 'allow' && rule.enforce !== 'deny')) continue;
        const globs = rule.globs ?? [];
        const hit = globs.find((g) => globMatches(g, file, { caseSensitive: true }));
        const origin = { policy: policy.name, file: policy.file, line: rule.line, column: rule.column };
        if (rule.enforce === 'allow' && !hit)
          violations.push({
            path: settingPath,
            ...origin,
            message: `${settingPath} ${file} is not allowed by policy ${policy.name} (${describeOrigin(origin)}), which allows only ${globs.join(', ')}`,
          });
        if (rule.enforce === 'deny' && hit)
          violations.push({
            path: settingPath,
            ...origin,
            message: `${settingPath} ${file} is denied by policy ${policy.name} (${describeOrigin(origin)}): it matches ${hit}`,
          });
      }
    }
  }

  // Mandated audit logs add up (each anchored at the folder of the file that names it).
  const logs: string[] = [];
  for (const policy of context.applicable) {
    for (const s of policy.settings) {
      if (s.path === 'audit.logFile' && s.enforce === 'mandatory' && typeof s.value === 'string')
        logs.push(path.resolve(path.dirname(path.resolve(policy.file)), s.value));
    }
  }
  const profileLog = context.raw.audit?.logFile;
  if (profileLog && resolution.profileFile)
    logs.push(path.resolve(path.dirname(path.resolve(resolution.profileFile)), profileLog));
  else if (profileLog) logs.push(profileLog);

  // Address-scoped policies that did not apply: the dial check refuses an address they cover.
  const dialRules = resolution.dialRules ?? { deny: [], allow: [], unappliedAddressScoped: [] };
  const applied = new Set(context.applicable);
  for (const policy of context.set.policies) {
    if (applied.has(policy)) continue;
    if (policy.appliesTo.profiles.length > 0 && !matchesAny(policy.appliesTo.profiles, context.raw.name)) continue;
    const patterns = hostPatterns(policy.appliesTo.hosts)
      .filter(isAddressPattern)
      .map((p) => p.text);
    if (patterns.length > 0)
      dialRules.unappliedAddressScoped.push({ policy: policy.name, file: policy.file, patterns });
  }
  // An unusable file scoped by address that did not apply (the name resolved elsewhere, or not at all): same rule.
  for (const failure of context.set.failures) {
    if (!failure.appliesTo) continue; // no applicability known: it applied, and refused the session
    if (failure.appliesTo.profiles.length > 0 && !matchesAny(failure.appliesTo.profiles, context.raw.name)) continue;
    const patterns = hostPatterns(failure.appliesTo.hosts)
      .filter(isAddressPattern)
      .map((p) => p.text);
    if (patterns.length > 0)
      dialRules.unappliedAddressScoped.push({ policy: failure.name ?? failure.file, file: failure.file, patterns });
  }

  const sources = policySourceRecords(context.set);

  return {
    ...resolution,
    decision: violations.length > 0 ? 'refuse' : 'allow',
    violations,
    warnings,
    managed: context.set.managed ?? context.set.sources.length > 0,
    ...(context.set.simulation ? { simulation: true } : {}),
    policySources: sources,
    auditLogFiles: [...new Set(logs)],
    dialRules,
  };
}
