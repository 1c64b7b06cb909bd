/**
 * The result of resolving a profile against the policies that apply to it: every effective
 * setting with where its value came from (DESIGN.md, "Resolution"). This is the `--json`
 * payload of `ftpsctl resolve` and what the engine and the audit reports consume.
 */

export type EnforceKind = 'mandatory' | 'recommended' | 'floor' | 'ceiling' | 'allow' | 'deny';

/**
 * default: the built-in default; profile: the profile's value, no policy touched it;
 * applied: a policy value used where the profile was silent; overridden: a mandatory value
 * replaced the profile's; raised / lowered: a floor / ceiling moved the value;
 * kept: the profile's value met every constraint (or equals the mandatory value).
 */
export type SettingStatus = 'default' | 'profile' | 'applied' | 'overridden' | 'raised' | 'lowered' | 'kept';

/** Where a policy value was written. */
export interface PolicyOrigin {
  policy: string;
  file: string;
  line: number;
  column: number;
}

/** A policy value that did not win: `override` when it differed, `supersede` when it was the same. */
export interface LosingValue extends PolicyOrigin {
  value: unknown;
  enforce: EnforceKind;
  type: 'override' | 'supersede';
}

/** A floor, ceiling, allow or deny list that applied to a setting. */
export interface AppliedConstraint extends PolicyOrigin {
  enforce: 'floor' | 'ceiling' | 'allow' | 'deny';
  value: unknown;
}

export interface ResolvedSetting {
  value: unknown;
  source: 'default' | 'profile' | 'policy';
  status: SettingStatus;
  /** Set when source is `policy`: the policy whose value (or constraint) decided. */
  policy?: string;
  file?: string;
  line?: number;
  column?: number;
  enforce?: EnforceKind;
  /** The profile's own value, when a policy changed it (overridden, raised, lowered). */
  profileValue?: unknown;
  /** Policy values that lost to the chosen one. */
  conflicts?: LosingValue[];
  /** Constraints that applied, whether or not they moved the value. */
  constraints?: AppliedConstraint[];
}

export interface Violation {
  /** The setting concerned, or '' for the profile as a whole. */
  path: string;
  message: string;
  policy?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** Two policies of equal rank that want different values; the more secure one won. */
export interface Conflict {
  path: string;
  value: unknown;
  winner: PolicyOrigin & { value: unknown };
  losers: Array<PolicyOrigin & { value: unknown }>;
  message: string;
}

export interface Resolution {
  profile: string;
  /** The profile file, when the profile was loaded from one. */
  profileFile?: string;
  decision: 'allow' | 'refuse';
  /** Keyed by dotted setting path (`tls.minVersion`), in catalog order. */
  settings: Record<string, ResolvedSetting>;
  violations: Violation[];
  conflicts: Conflict[];
  warnings: string[];
  /** The policies that applied to this profile, by name, with the SHA-256 of their files. */
  policies: Array<{ name: string; file: string; sha256: string; scope: 'machine' | 'user'; priority: number }>;
}
