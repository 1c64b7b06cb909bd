/**
 * The ftpsctl library: the same managed front door as the CLI, usable without it.
 *
 * ```ts
 * const session = await connect('payroll.json', { auditLogFiles: ['ftpsctl-audit.jsonl'] });
 * try {
 *   await session.download('out/report.csv', 'report.csv'); // verified; its transfer event written
 * } finally {
 *   await session.close(); // session.end
 * }
 * ```
 * `connect` resolves the profile against the machine's policies (always) and refuses before
 * connecting; every transfer records itself in the audit logs the profile, the policies and the
 * caller name. `loadProfile` + `resolveProfile` answer "what would apply" without connecting.
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
  ManagedSession,
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
  ConnectOptions,
  ManagedTransferOptions,
  ManagedMirrorOptions,
  MirrorReport,
  MirrorItem,
  MirrorFailure,
  SessionCheckView,
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
export type { FtpsSession } from './engine';
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
