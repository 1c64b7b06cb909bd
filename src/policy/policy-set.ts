import type { Policy, PolicyFailure } from './policy';

/** Every policy file of the policy folders: the usable policies and the failures (which fail closed). */
export interface PolicySet {
  /** What was read: folders and files, as given. */
  sources: string[];
  policies: Policy[];
  failures: PolicyFailure[];
  /** Files in the folders that are not policy files (*.xml): reported, not read. */
  ignored: string[];
  warnings: string[];
}

export function emptyPolicySet(): PolicySet {
  return { sources: [], policies: [], failures: [], ignored: [], warnings: [] };
}
