export {
  loadProfile,
  checkProfileFile,
  MAX_PROFILE_BYTES,
  type LoadedProfile,
  type ProfileFileResult,
} from './load-profile';
export { validateProfileText } from './validate-profile';
export { applyDefaults, DEFAULT_EXPLICIT_PORT, DEFAULT_IMPLICIT_PORT } from './apply-defaults';
export { ProfileError, formatProblem } from './profile-error';
export type { ProfileProblem } from './profile-problems';
export { listSettings, findSetting, type SettingEntry } from './settings-catalog';
export { profileSchema, profileSchemaId } from './profile-schema';
export type * from '../settings/generated/session-profile';
export type { EffectiveProfile } from '../settings/generated/effective-profile';
export { resolveProfile, type ProfileToResolve } from './resolve-profile';
export type * from './resolution';
export { resolvedProfile } from './resolved-settings';
export { connect, type ConnectOptions } from './connect';
export { ManagedSession, type ManagedTransferOptions } from './managed-session';
export type { ManagedMirrorOptions } from './managed-mirror';
export type { MirrorReport, MirrorItem, MirrorFailure } from './mirror';
export type { SessionCheckView } from './render-session-check';
