/**
 * Profile -> resolution -> refusal before any connection: the first half of a managed session.
 * A refusal (policy: exit 4; an input check: exit 3) is written as `session.refused` to every
 * audit log the caller and the applicable policies name before the error goes on.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { PolicySet } from '../policy/policy-set';
import { anchorFolder, anchorProfilePaths } from '../resolve/anchor-paths';
import {
  auditedPolicies,
  auditedProfileFile,
  resolutionSha256,
  sessionRefusedEvent,
  type AuditContext,
} from './audit-events';
import { AuditLog } from './audit-log';
import type { EffectiveProfile } from '../settings/generated/effective-profile';
import { errorSummary } from './error-summary';
import { loadProfile } from '../profile/load-profile';
import { assertPolicyNamedFiles } from '../resolve/policy-named-files';
import { PolicyRefusal } from './policy-refusal';
import type { Resolution } from '../resolve/resolution';
import { resolvedProfile } from '../resolve/resolved-settings';
import { resolveForSession } from '../resolve/resolution-dial-check';

export interface PreparedSession {
  profileFile: string;
  resolution: Resolution;
  /** The effective settings, file paths anchored at the profile's folder. */
  settings: EffectiveProfile;
}

/**
 * Loads and resolves; a refused resolution throws before anything touches the network.
 * `onResolved` sees the resolution as soon as there is one (for the refusal's audit event).
 */
export async function prepareSession(
  profileFile: string,
  policies: PolicySet,
  onResolved?: (resolution: Resolution) => void,
): Promise<PreparedSession> {
  // A session reads its secrets: a password file others can read is refused here, at its pointer.
  const loaded = await loadProfile(profileFile, { secretFileModes: true });
  // Host rules on where the session really goes: address-scoped policies see the host's addresses.
  const resolution = await resolveForSession(loaded, policies);
  onResolved?.(resolution);
  if (resolution.decision !== 'allow') throw new PolicyRefusal(resolution);
  // Files a policy names (the profile's were checked by loadProfile): before any secret is read or socket opened.
  await assertPolicyNamedFiles(resolution, profileFile);
  return {
    profileFile,
    resolution,
    settings: anchorProfilePaths(resolvedProfile(resolution), profileFile, resolution),
  };
}

/**
 * `prepareSession`, and when it refuses (policy: exit 4; an input check: exit 3) a
 * `session.refused` event in every audit log the caller and the applicable policies name,
 * before the error goes on. Nothing has connected. If that event can't be written, the
 * audit-log error is thrown (its cause: the refusal): an unrecorded refusal is not silent.
 */
export async function prepareAuditedSession(
  profileFile: string,
  policies: PolicySet,
  auditLogFiles: readonly string[] = [],
): Promise<PreparedSession> {
  let resolution: Resolution | undefined;
  try {
    return await prepareSession(profileFile, policies, (resolved) => (resolution = resolved));
  } catch (error) {
    await recordRefusal(profileFile, error, resolution, auditLogFiles);
    throw error;
  }
}

/**
 * Writes `session.refused` for a session stopped before connecting (policy, input check, a
 * secret that can't be read) to every log the resolution and the caller name. Relative log
 * paths are read from the folder of the file that set them, as for a session that runs.
 */
export async function recordRefusal(
  profileFile: string,
  error: unknown,
  resolution: Resolution | undefined,
  extraLogs: readonly string[],
): Promise<void> {
  // A refused resolution has no effective profile (resolvedProfile refuses it): read the few values needed directly.
  const value = (path: string): unknown => resolution?.settings[path]?.value;
  const logFile = value('audit.logFile');
  const logs = [
    ...(typeof logFile === 'string'
      ? [path.resolve(anchorFolder('audit.logFile', profileFile, resolution), logFile)]
      : []),
    ...(resolution?.auditLogFiles ?? []),
    ...extraLogs,
  ];
  if (logs.length === 0) return;
  const context: AuditContext = {
    sessionId: randomUUID(),
    profile: resolution?.profile ?? profileFile,
    resolutionSha256: resolution ? resolutionSha256(resolution) : '',
    ...auditedPolicies(resolution),
    profileFile: auditedProfileFile(profileFile, resolution?.profileSha256),
    managed: resolution?.managed ?? true,
    server: { address: String(value('host') ?? ''), port: Number(value('port') ?? 0) },
    user: String(value('user') ?? ''),
  };
  const summary = errorSummary(error);
  const violation = resolution?.violations.find((v) => v.policy || v.file);
  const reason =
    resolution && resolution.violations.length > 0
      ? resolution.violations.map((v) => v.message).join('; ')
      : summary.message;
  const refusedBy = violation
    ? {
        ...(violation.policy ? { policy: violation.policy } : {}),
        ...(violation.file ? { file: violation.file } : {}),
        ...(violation.line !== undefined ? { line: violation.line } : {}),
      }
    : undefined;
  const audit = await AuditLog.open([...new Set(logs)]);
  try {
    await audit.write(sessionRefusedEvent(context, { reason, error: summary, ...(refusedBy ? { refusedBy } : {}) }));
  } finally {
    await audit.close().catch(() => undefined);
  }
}
