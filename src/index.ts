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
  validateProfileText,
  applyDefaults,
  ProfileError,
  formatProblem,
  listSettings,
  findSetting,
  profileSchema,
  profileSchemaId,
  resolveProfile,
  resolvedProfile,
  connect,
  MAX_PROFILE_BYTES,
  DEFAULT_EXPLICIT_PORT,
  DEFAULT_IMPLICIT_PORT,
} from './session';
export type {
  LoadedProfile,
  ProfileFileResult,
  ProfileProblem,
  SettingEntry,
  EffectiveProfile,
  ProfileToResolve,
} from './session';
export type * from './settings/generated/session-profile';
export type * from './session/resolution';
export {
  loadPolicySet,
  loadPoliciesFor,
  loadSessionPolicies,
  defaultPolicyDir,
  parsePolicyText,
  checkPolicySet,
  policyCatalog,
  formatPolicyProblem,
  POLICY_NAMESPACE,
  MAX_POLICY_BYTES,
} from './policy';
export type {
  PolicySetCheck,
  CatalogEntry,
  Policy,
  PolicySetting,
  PolicyFailure,
  PolicyProblem,
  PolicySet,
} from './policy';
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
