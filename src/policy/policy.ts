/** A group policy as read from one XML file, with the place of everything in it. */

/** How a policy setting is enforced (DESIGN.md, "Group policy files"). */
export type EnforceKind = 'mandatory' | 'recommended' | 'floor' | 'ceiling' | 'allow' | 'deny';

/**
 * Where a policy file was found, which caps its rank (issue 10): `machine` (the machine
 * folder, root-owned: ranks as declared), `user` (a folder the user named with --policies or
 * $FTPSCTL_POLICY_DIR: user scope at most), `simulation` (--policies-only: ranks as declared,
 * never used by a session).
 */
export type PolicySourceKind = 'machine' | 'user' | 'simulation';

export interface PolicySetting {
  /** Dotted setting path from the catalog, e.g. `tls.minVersion`. */
  path: string;
  enforce: EnforceKind;
  /** mandatory / recommended / floor / ceiling: the typed value. */
  value?: unknown;
  /** allow / deny: the globs. */
  globs?: string[];
  /** Where the setting is written; 0 and 0 for a Registry.pol value (see registryValue). */
  line: number;
  column: number;
  /** Read from a Registry.pol: the registry value (`Software\Policies\ftpsctl!tls.fipsMode`), shown in provenance instead of a line. */
  registryValue?: string;
  /** Read from a Registry.pol: the byte offset of the record. */
  offset?: number;
}

export interface Policy {
  name: string;
  scope: 'machine' | 'user';
  priority: number;
  description?: string;
  /** Globs on profile names and hosts; an empty list means "every". */
  appliesTo: { profiles: string[]; hosts: string[] };
  settings: PolicySetting[];
  file: string;
  /** Where the policy's name is written (for problems about the policy as a whole). */
  line: number;
  column: number;
  /** SHA-256 of the file's bytes, so an audit event ties a session to the exact policy text. */
  sha256: string;
  /** Where the file was found; absent: read directly (ranks as declared). */
  source?: PolicySourceKind;
  /** What the file claimed when its source capped its rank (`scope`/`priority` above are the capped ones). */
  declared?: { scope: 'machine' | 'user'; priority: number };
}

export interface PolicyProblem {
  file: string;
  /** null when the problem is about the file itself (unreadable, permissions). */
  line: number | null;
  column: number | null;
  message: string;
}

/** A policy file that could not be used. It refuses every session it could apply to. */
export interface PolicyFailure {
  file: string;
  problems: PolicyProblem[];
  /** The policy's name and applicability when the file got that far; absent: it applies to every session. */
  name?: string;
  appliesTo?: Policy['appliesTo'];
  sha256?: string;
  source?: PolicySourceKind;
}

export function formatPolicyProblem(problem: PolicyProblem): string {
  return problem.line === null
    ? `${problem.file} ${problem.message}`
    : `${problem.file}:${problem.line}:${problem.column} ${problem.message}`;
}
