import type { Policy, PolicyFailure, PolicySourceKind } from './policy';

/** A folder or file a policy set was read from, and why it was read. */
export interface PolicySourceSpec {
  path: string;
  kind: PolicySourceKind;
  /** Who named it, for messages: `machine folder`, `--policies`, `$FTPSCTL_POLICY_DIR`, `--policies-only`, ... */
  origin: string;
  /**
   * Ownership and mode checks like OpenSSH's StrictModes on the folder, every folder above it
   * and each file: `root` (owned by root, not group- or other-writable), `root-or-self` (the
   * test override: root or the current user; sticky folders such as /tmp allowed above it).
   */
  strict?: 'root' | 'root-or-self';
}

/** Every policy file of the policy folders: the usable policies and the failures (which fail closed). */
export interface PolicySet {
  /** What was read: folders and files, each once (a file reached through several sources is one file, by device and inode). */
  sources: string[];
  policies: Policy[];
  failures: PolicyFailure[];
  /** Files in the folders that are not policy files (*.xml): reported, not read. */
  ignored: string[];
  warnings: string[];
  /** The sources with their kind; absent for a set read from plain paths. */
  specs?: PolicySourceSpec[];
  /** False when no policy source exists at all (issue 9: "unmanaged"). */
  managed?: boolean;
  /** Read with --policies-only: a what-if analysis, never a session. */
  simulation?: boolean;
  /** The folders looked in for machine policies (for the "unmanaged" line). */
  lookedIn?: string[];
}

export function emptyPolicySet(): PolicySet {
  return { sources: [], policies: [], failures: [], ignored: [], warnings: [] };
}

/** One policy file as the audit trail names it. */
export interface PolicySourceRecord {
  path: string;
  /** The scope the file ranked as (capped by its source). */
  scope: 'machine' | 'user';
  /** machine folder, a folder the user added, a --policies-only simulation, or a file read directly. */
  source: 'machine' | 'user' | 'simulation' | 'file';
  sha256?: string;
  policy?: string;
  /** What the file claimed, when its source capped it. */
  declaredScope?: 'machine' | 'user';
  usable: boolean;
}
