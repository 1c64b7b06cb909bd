/**
 * Where a policy value was written, and what merging the policies that apply to one setting
 * records about it: the values that lost, the constraints that applied, equal-rank conflicts
 * (DESIGN.md, "Group policy files", precedence). Part of a Resolution's provenance.
 */
import type { EnforceKind } from './policy';

/** Where a policy value was written. */
export interface PolicyOrigin {
  policy: string;
  file: string;
  line: number;
  column: number;
  /** A value read from a Registry.pol: `Software\Policies\ftpsctl!tls.fipsMode` (its line and column are 0). */
  registryValue?: string;
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

/** Two policies of equal rank that want different values; the more secure one won. */
export interface Conflict {
  path: string;
  value: unknown;
  winner: PolicyOrigin & { value: unknown };
  losers: Array<PolicyOrigin & { value: unknown }>;
  message: string;
}
