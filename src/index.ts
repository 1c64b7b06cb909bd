/**
 * The ftpsctl library: the same managed front door as the CLI, usable without it.
 *
 * ```ts
 * const loaded = await loadProfile('payroll.json');
 * const resolution = resolveProfile(loaded, await loadSessionPolicies(undefined)); // the machine's policies, always
 * const session = await connect(resolution, { password });
 * ```
 * The unmanaged engine (no policies, no audit trail) is the subpath export `ftpsctl/engine`.
 */
export {
  loadProfile,
  checkProfileFile,
  MAX_PROFILE_BYTES,
  type LoadedProfile,
  type ProfileFileResult,
} from './profile/load-profile';
export { validateProfileText } from './profile/validate-profile';
export { ProfileError, formatProblem } from './profile/profile-error';
export type { ProfileProblem } from './profile/profile-problems';
export { applyDefaults, DEFAULT_EXPLICIT_PORT, DEFAULT_IMPLICIT_PORT } from './settings/apply-defaults';
export { listSettings, findSetting, type SettingEntry } from './settings/settings-catalog';
export { profileSchema, profileSchemaId } from './settings/profile-schema';
export type { EffectiveProfile } from './settings/generated/effective-profile';
export { resolveProfile, type ProfileToResolve } from './resolve/resolve-profile';
export { resolvedProfile } from './resolve/resolved-settings';
export { checkPolicySet, type PolicySetCheck } from './resolve/check-policy-set';
export { connect } from './session/connect';
export type * from './settings/generated/session-profile';
export type * from './resolve/resolution';
export {
  loadPolicySet,
  loadPoliciesFor,
  loadSessionPolicies,
  defaultPolicyDir,
  parsePolicyText,
  policyCatalog,
  formatPolicyProblem,
  POLICY_NAMESPACE,
  MAX_POLICY_BYTES,
} from './policy';
export type { CatalogEntry, Policy, PolicySetting, PolicyFailure, PolicyProblem, PolicySet } from './policy';
export { FtpsctlError, UsageError, isFtpsctlError, exitCodeFor, ExitCode } from './errors';
export type { FtpsctlErrorCode, ExitCodeValue } from './errors';
export { FtpsSession } from './engine';
export type {
  TlsInfo,
  SessionInfo,
  TransferOptions,
  TransferResult,
  Credentials,
  FipsState,
  ListEntry,
  ProtocolLogLine,
} from './engine';
