/**
 * The result of resolving a profile against the policies that apply to it: every effective
 * setting with where its value came from (DESIGN.md, "Resolution"). This is the `--json`
 * payload of `ftpsctl resolve` and what the engine and the audit reports consume.
 */

import type { EnforceKind } from '../policy/policy';
import type { AppliedConstraint, Conflict, LosingValue, PolicyOrigin } from '../policy/policy-origin';
import type { PolicySourceRecord } from '../policy/policy-set';

// Part of the Resolution's shape, defined by the policy layer that produces them (one way: resolve -> policy).
export type { EnforceKind } from '../policy/policy';
export type { AppliedConstraint, Conflict, LosingValue, PolicyOrigin } from '../policy/policy-origin';
export type { PolicySourceRecord } from '../policy/policy-set';

/**
 * default: the built-in default; profile: the profile's value, no policy touched it;
 * applied: a policy value used where the profile was silent; overridden: a mandatory value
 * replaced the profile's; raised / lowered: a floor / ceiling moved the value;
 * kept: the profile's value met every constraint (or equals the mandatory value).
 */
export type SettingStatus = 'default' | 'profile' | 'applied' | 'overridden' | 'raised' | 'lowered' | 'kept';

export interface ResolvedSetting {
  value: unknown;
  source: 'default' | 'profile' | 'policy';
  status: SettingStatus;
  /** Set when source is `policy`: the policy whose value (or constraint) decided. */
  policy?: string;
  file?: string;
  line?: number;
  column?: number;
  /** Set when the deciding value came from a Registry.pol (see PolicyOrigin). */
  registryValue?: string;
  enforce?: EnforceKind;
  /** The profile's own value, when a policy changed it (overridden, raised, lowered). */
  profileValue?: unknown;
  /** Policy values that lost to the chosen one. */
  conflicts?: LosingValue[];
  /** Constraints that applied, whether or not they moved the value. */
  constraints?: AppliedConstraint[];
  /** A recommended value the profile overrode (issue 10: recorded, and counted by `audit`). */
  rejectedRecommendation?: PolicyOrigin & { value: unknown };
}

export interface Violation {
  /** The setting concerned, or '' for the profile as a whole. */
  path: string;
  message: string;
  policy?: string;
  file?: string;
  line?: number;
  column?: number;
  registryValue?: string;
  /** The violation is a policy file that can't be used (exit 3, not 4): decided here, never from the message. */
  unusablePolicy?: true;
}

export interface Resolution {
  profile: string;
  /** The profile file, when the profile was loaded from one. */
  profileFile?: string;
  /** SHA-256 (hex) of that file's bytes as read. */
  profileSha256?: string;
  decision: 'allow' | 'refuse';
  /** Keyed by dotted setting path (`tls.minVersion`), in catalog order. */
  settings: Record<string, ResolvedSetting>;
  violations: Violation[];
  conflicts: Conflict[];
  warnings: string[];
  /** False when no policy source exists at all (issue 9: the run is "unmanaged"). */
  managed?: boolean;
  /** True for `--policies-only`: a what-if analysis, never a session. */
  simulation?: boolean;
  /**
   * Every policy file read (applicable or not, usable or not), with the scope it ranked as, the
   * kind of source it came from and its SHA-256: a machine-enforced session can be told from one
   * that ran under a user's own policies.
   */
  policySources?: PolicySourceRecord[];
  /** Every audit log the session must write: each mandated one (they add up), the profile's, a recommended one. */
  auditLogFiles?: string[];
  /**
   * Host rules that can only be decided on the address actually dialed (address and CIDR rules
   * on a host name): the session layer checks every connection against them.
   */
  dialRules?: DialRules;
  /** The policies that applied to this profile, by name, with the SHA-256 of their files. */
  policies: Array<{ name: string; file: string; sha256: string; scope: 'machine' | 'user'; priority: number }>;
}

/** What the dialed address must satisfy (see Resolution.dialRules). */
export interface DialRules {
  /** Address and CIDR deny rules on `host`, with where they are written. */
  deny: Array<PolicyOrigin & { patterns: string[] }>;
  /** Allow lists the host name did not satisfy by itself: the dialed address must match one of their address rules. */
  allow: Array<PolicyOrigin & { patterns: string[] }>;
  /**
   * Policies scoped by address or CIDR host rules that did not apply (the host's addresses did
   * not match, or were not known): a connection to an address they cover is refused, since the
   * session was resolved without them.
   */
  unappliedAddressScoped: Array<{ policy: string; file: string; patterns: string[] }>;
  /** The same deny and allow rules for `proxy.host`, checked on the proxy's dialed address when it is a name. */
  proxy?: { deny: Array<PolicyOrigin & { patterns: string[] }>; allow: Array<PolicyOrigin & { patterns: string[] }> };
}
