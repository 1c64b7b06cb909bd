/**
 * A session as the CLI runs it: profile -> resolution (refused: stop here, no connection) ->
 * secrets -> audit log -> engine session, with every step audited. The engine only ever
 * sees the resolved, path-anchored settings.
 */
import { randomUUID } from 'node:crypto';
import type { FtpsSession, OpenSessionOptions, TransferResult } from '../engine/ftps-session';
import { openSession } from '../engine/ftps-session';
import type { Credentials } from '../engine/engine-settings';
import { FtpsctlError, isFtpsctlError } from '../errors';
import type { PolicySet } from '../policy/policy-set';
import { anchorProfilePaths } from '../resolve/anchor-paths';
import {
  resolutionSha256,
  sessionEndEvent,
  sessionRefusedEvent,
  sessionStartEvent,
  tlsEstablishedEvent,
  transferEvent,
  transferFailureEvent,
  type AuditContext,
  type FailedTransfer,
} from './audit-events';
import { AuditLog } from './audit-log';
import type { EffectiveProfile } from '../settings/generated/effective-profile';
import { loadProfile } from '../profile/load-profile';
import { assertPolicyNamedFiles } from '../resolve/policy-named-files';
import { PolicyRefusal } from './policy-refusal';
import type { Resolution } from '../resolve/resolution';
import { resolvedProfile } from '../resolve/resolved-settings';
import { dialedAddressCheck, resolveForSession } from '../resolve/resolution-dial-check';
import { readSecret, type SecretIo } from './secrets';

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
  const loaded = await loadProfile(profileFile);
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

async function recordRefusal(
  profileFile: string,
  error: unknown,
  resolution: Resolution | undefined,
  extraLogs: readonly string[],
): Promise<void> {
  // A refused resolution has no effective profile (resolvedProfile refuses it): read the few values needed directly.
  const value = (path: string): unknown => resolution?.settings[path]?.value;
  const policyLog = value('audit.logFile');
  const logs = [
    ...(typeof policyLog === 'string' ? [policyLog] : []),
    ...(resolution?.auditLogFiles ?? []),
    ...extraLogs,
  ];
  if (logs.length === 0) return;
  const context: AuditContext = {
    sessionId: randomUUID(),
    profile: resolution?.profile ?? profileFile,
    resolutionSha256: resolution ? resolutionSha256(resolution) : '',
    policies: (resolution?.policies ?? []).map((p) => ({ name: p.name, file: p.file, sha256: p.sha256 })),
    managed: resolution?.managed ?? true,
    policySources: (resolution?.policySources ?? []).map((s) => ({
      path: s.path,
      scope: s.scope,
      source: s.source,
      ...(s.sha256 ? { sha256: s.sha256 } : {}),
    })),
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

export interface ManagedSessionOptions {
  /** Extra audit logs (--audit-log); the resolution's audit.logFile is always written. */
  auditLogFiles?: string[];
  secrets: SecretIo;
  /** Already read (a parallel mirror asks for a prompted password once, not per connection). */
  credentials?: Credentials;
  engine?: OpenSessionOptions;
}

export async function readCredentials(settings: EffectiveProfile, secrets: SecretIo): Promise<Credentials> {
  if (!settings.password)
    throw new FtpsctlError(
      'FTPSCTL_ERR_PROFILE_INVALID',
      `profile "${settings.name}" has no password source; add "password": {"env": "VAR"} (or {"file": ...} or "prompt")`,
    );
  const credentials: Credentials = {
    password: await readSecret(settings.password, `the password of profile ${settings.name}`, secrets),
  };
  const passphrase = settings.tls.pki.clientCertificate?.passphrase;
  if (passphrase)
    credentials.clientKeyPassphrase = await readSecret(
      passphrase,
      `the client key passphrase of profile ${settings.name}`,
      secrets,
    );
  const proxyPassword = settings.proxy.enabled ? settings.proxy.authorization?.password : undefined;
  if (proxyPassword)
    credentials.proxyPassword = await readSecret(
      proxyPassword,
      `the proxy password of profile ${settings.name}`,
      secrets,
    );
  return credentials;
}

export class ManagedSession {
  private readonly started = Date.now();
  private ended = false;

  private constructor(
    readonly prepared: PreparedSession,
    readonly session: FtpsSession,
    private readonly audit: AuditLog,
    private readonly context: AuditContext,
    /** For more connections of the same session (mirror workers). */
    readonly credentials: Credentials,
  ) {}

  static async start(prepared: PreparedSession, options: ManagedSessionOptions): Promise<ManagedSession> {
    const { settings } = prepared;
    const credentials = options.credentials ?? (await readCredentials(settings, options.secrets));
    // Mandated logs add up (resolution.auditLogFiles): every one gets the events.
    const logs = [
      ...(settings.audit?.logFile ? [settings.audit.logFile] : []),
      ...(prepared.resolution.auditLogFiles ?? []),
      ...(options.auditLogFiles ?? []),
    ];
    const audit = await AuditLog.open(logs);
    const context = auditContext(prepared);
    const started = Date.now();
    await audit.write(sessionStartEvent(context));
    let session: FtpsSession;
    try {
      // Every address dialed, control and data, is checked against the host rules (exit 4 before connecting).
      session = await openSession(settings, credentials, {
        checkDialedAddress: dialedAddressCheck(prepared.resolution),
        ...options.engine,
      });
    } catch (error) {
      await audit.write(sessionEndEvent(context, { error: errorSummary(error), durationMs: Date.now() - started }));
      await audit.close();
      throw error;
    }
    const managed = new ManagedSession(prepared, session, audit, context, credentials);
    const tls = session.tlsInfo();
    if (tls) {
      try {
        await audit.write(tlsEstablishedEvent(context, tls));
      } catch (error) {
        await managed.end(error).catch(() => undefined);
        throw error;
      }
    }
    return managed;
  }

  async recordTransfer(result: TransferResult): Promise<void> {
    await this.audit.write(transferEvent(this.context, result));
  }

  /** A failed transfer: a `transfer` event with outcome failure; session.end then says failure too. */
  async recordTransferFailure(failure: Omit<FailedTransfer, 'error'> & { error: unknown }): Promise<void> {
    const error = errorSummary(failure.error);
    this.noteTransferFailure(error.code);
    await this.audit.write(transferFailureEvent(this.context, { ...failure, error }));
  }

  /** A transfer of this session failed on another connection (a mirror worker wrote its event): session.end says failure. */
  noteTransferFailure(code: string): void {
    this.failedTransfers.count += 1;
    this.failedTransfers.firstCode ||= code;
  }

  private readonly failedTransfers = { count: 0, firstCode: '' };

  /** Closes the session and writes session.end (with the error, if the command failed). */
  async end(error?: unknown): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    const tls = this.session.tlsInfo();
    await this.session.close().catch(() => undefined);
    await this.audit.write(
      sessionEndEvent(this.context, {
        ...(error !== undefined ? { error: errorSummary(error) } : {}),
        ...(tls ? { tls } : {}),
        durationMs: Date.now() - this.started,
        failedTransfers: this.failedTransfers,
      }),
    );
    await this.audit.close();
  }
}

function auditContext(prepared: PreparedSession): AuditContext {
  const { settings, resolution } = prepared;
  const context: AuditContext = {
    sessionId: randomUUID(),
    profile: settings.name,
    resolutionSha256: resolutionSha256(resolution),
    policies: resolution.policies.map((p) => ({ name: p.name, file: p.file, sha256: p.sha256 })),
    managed: resolution.managed ?? true,
    policySources: (resolution.policySources ?? []).map((s) => ({
      path: s.path,
      scope: s.scope,
      source: s.source,
      ...(s.sha256 ? { sha256: s.sha256 } : {}),
    })),
    server: { address: settings.host, port: settings.port },
    user: settings.user,
  };
  if (settings.proxy.enabled && settings.proxy.host && settings.proxy.port) {
    context.proxy = {
      type: settings.proxy.type,
      address: settings.proxy.host,
      port: settings.proxy.port,
      ...(settings.proxy.authorization ? { user: settings.proxy.authorization.user } : {}),
    };
  }
  return context;
}

function errorSummary(error: unknown): { code: string; message: string } {
  return isFtpsctlError(error)
    ? { code: error.code, message: error.message }
    : { code: 'FTPSCTL_ERR_INTERNAL', message: (error as Error).message ?? String(error) };
}

/** Runs `work` in a new managed session and always ends it: session.end carries the error, if any. */
export async function inManagedSession<T>(
  prepared: PreparedSession,
  options: ManagedSessionOptions,
  work: (managed: ManagedSession) => Promise<T>,
  onStart?: (managed: ManagedSession) => void,
): Promise<T> {
  const managed = await ManagedSession.start(prepared, options);
  onStart?.(managed);
  try {
    const value = await work(managed);
    await managed.end();
    return value;
  } catch (error) {
    await managed.end(error);
    throw error;
  }
}
