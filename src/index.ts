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
  MAX_PROFILE_BYTES,
  type LoadedProfile,
  type ProfileFileResult,
} from './profile/load-profile';
export { validateProfileText } from './profile/validate-profile';
export { ProfileError, formatProblem } from './profile/profile-error';
export type { ProfileProblem } from './profile/profile-problems';
export { applyDefaults, DEFAULT_EXPLICIT_PORT, DEFAULT_IMPLICIT_PORT } from './settings/apply-defaults';
export { listSettings, findSetting, policyCatalog, profileSchema } from './library-catalog-views';
export type { SettingEntry } from './settings/settings-catalog';
export { profileSchemaId } from './settings/profile-schema';
export type { EffectiveProfile } from './settings/generated/effective-profile';
export { resolveProfile, type ProfileToResolve } from './resolve/resolve-profile';
export { resolvedProfile } from './resolve/resolved-settings';
export { checkPolicySet, type PolicySetCheck } from './resolve/check-policy-set';
export { connect, type ConnectOptions } from './session/connect';
export { ManagedSession, type ManagedTransferOptions } from './session/managed-session';
export type { ManagedMirrorOptions } from './session/managed-mirror';
export type { MirrorReport, MirrorItem, MirrorFailure } from './session/mirror';
export type { SessionCheckView } from './session/render-session-check';
export type {
  SessionProfile,
  SecretSource,
  PromptSecret,
  EnvSecret,
  FileSecret,
  TlsSettings,
  PkiSettings,
  ClientCertificate,
  NetworkSettings,
  ProxySettings,
  ProxyAuthorization,
  TransferSettings,
  AuditSettings,
} from './settings/generated/session-profile';
export type {
  SettingStatus,
  ResolvedSetting,
  Violation,
  Resolution,
  DialRules,
  EnforceKind,
  AppliedConstraint,
  Conflict,
  LosingValue,
  PolicyOrigin,
  PolicySourceRecord,
} from './resolve/resolution';
export {
  loadPolicySet,
  loadPoliciesFor,
  loadSessionPolicies,
  defaultPolicyDir,
  parsePolicyText,
  formatPolicyProblem,
  POLICY_NAMESPACE,
  MAX_POLICY_BYTES,
} from './policy';
export type { CatalogEntry, Policy, PolicySetting, PolicyFailure, PolicyProblem, PolicySet } from './policy';
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
