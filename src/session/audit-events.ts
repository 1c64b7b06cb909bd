/**
 * Session audit events (JSON lines, ECS-style field names, DESIGN.md): what ran, under which
 * exact policy set, and what it negotiated. Pure builders; never a password or key.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { TlsInfo, TransferResult } from '../engine/ftps-session';
import type { Resolution } from '../resolve/resolution';

/** Every event.action ftpsctl writes; readers (`ftpsctl audit sessions`) accept exactly these. */
export const AUDIT_ACTIONS = [
  'session.start',
  'tls.established',
  'transfer',
  'file.delete',
  'file.rename',
  'directory.create',
  'directory.delete',
  'session.end',
  'session.refused',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditContext {
  sessionId: string;
  profile: string;
  /** SHA-256 of the resolution's canonical JSON: ties an event to the exact effective settings. */
  resolutionSha256: string;
  policies: Array<{ name: string; file: string; sha256: string }>;
  /**
   * The profile file the session was resolved from (absolute, links resolved) and the SHA-256 of
   * its bytes as read: the profile is the resolution's other input, so an edited profile or two
   * profiles of one name stay tellable apart. No SHA-256 when the file could not be read.
   */
  profileFile?: { path: string; sha256?: string };
  /** False when no policy source existed (issue 9); every event carries it. */
  managed?: boolean;
  /** Every policy file read: where, the scope it ranked as, its source (machine, user, ...) and SHA-256. */
  policySources?: Array<{ path: string; scope: string; source: string; sha256?: string }>;
  server: { address: string; port: number };
  user: string;
  proxy?: { type: string; address: string; port: number; user?: string };
}

export interface AuditEvent {
  '@timestamp': string;
  event: {
    action: AuditAction;
    outcome?: 'success' | 'failure' | 'unknown';
    duration?: number;
    category?: string[];
    type?: string[];
  };
  ftpsctl: Record<string, unknown> & {
    session_id: string;
    profile: string;
    resolution_sha256: string;
    policies: AuditContext['policies'];
  };
  server: { address: string; port: number };
  user: { name: string };
  [field: string]: unknown;
}

/** JSON with keys sorted at every level, so equal resolutions hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The hash an auditor reproduces with `ftpsctl resolve --json` from any folder: policy files
 * (every `file` member: the policies, the settings' origins) are named by their absolute path,
 * so `--policies pol`, `./pol/` and `/abs/pol` hash alike.
 */
export function resolutionSha256(resolution: Resolution): string {
  return createHash('sha256')
    .update(
      canonicalJson(
        absoluteFiles({
          profile: resolution.profile,
          decision: resolution.decision,
          settings: resolution.settings,
          policies: resolution.policies,
        }),
      ),
    )
    .digest('hex');
}

/**
 * A policy file as auditors find it: absolute, symbolic links resolved (a folder named through
 * a link is the folder it points to, as the policy loader treats it); as written when it is gone.
 */
function policyFilePath(file: string): string {
  try {
    return realpathSync(path.resolve(file));
  } catch {
    return path.resolve(file);
  }
}

/** Members that hold setting values (a password source's `file` is the profile's, relative to the profile): left as written. */
const SETTING_VALUES = new Set(['value', 'profileValue', 'default']);

/**
 * A copy with every policy-file member (`file` outside setting values) made absolute (resolved
 * from the working folder). Each file is looked up once: every setting's origin names one again.
 */
function absoluteFiles(value: unknown, key?: string, seen = new Map<string, string>()): unknown {
  if (key !== undefined && SETTING_VALUES.has(key)) return value;
  if (typeof value === 'string') {
    if (key !== 'file') return value;
    let real = seen.get(value);
    if (real === undefined) seen.set(value, (real = policyFilePath(value)));
    return real;
  }
  if (Array.isArray(value)) return value.map((item) => absoluteFiles(item, undefined, seen));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, absoluteFiles(v, k, seen)]));
  return value;
}

/** The profile file as audit events name it (ftpsctl.profile_file): absolute, links resolved, with its SHA-256 when read. */
export function auditedProfileFile(file: string, sha256?: string): NonNullable<AuditContext['profileFile']> {
  return { path: policyFilePath(file), ...(sha256 ? { sha256 } : {}) };
}

/** The policies of a resolution as events name them: the file by its absolute path, so the auditor can find the text the SHA-256 is of. */
export function auditedPolicies(resolution: Pick<Resolution, 'policies' | 'policySources'> | undefined): {
  policies: AuditContext['policies'];
  policySources: NonNullable<AuditContext['policySources']>;
} {
  return {
    policies: (resolution?.policies ?? []).map((p) => ({
      name: p.name,
      file: policyFilePath(p.file),
      sha256: p.sha256,
    })),
    policySources: (resolution?.policySources ?? []).map((s) => ({
      path: policyFilePath(s.path),
      scope: s.scope,
      source: s.source,
      ...(s.sha256 ? { sha256: s.sha256 } : {}),
    })),
  };
}

function base(context: AuditContext, action: AuditAction, now: Date): AuditEvent {
  return {
    '@timestamp': now.toISOString(),
    event: { action },
    ftpsctl: {
      session_id: context.sessionId,
      profile: context.profile,
      resolution_sha256: context.resolutionSha256,
      policies: context.policies,
      ...(context.profileFile ? { profile_file: context.profileFile } : {}),
      managed: context.managed ?? true,
      ...(context.policySources ? { policy_sources: context.policySources } : {}),
    },
    server: context.server,
    user: { name: context.user },
  };
}

export function sessionStartEvent(context: AuditContext, now = new Date()): AuditEvent {
  const event = base(context, 'session.start', now);
  event.event.outcome = 'unknown';
  if (context.proxy) {
    // The client cannot see how the proxy reaches the host: say so rather than imply protection.
    event.ftpsctl.proxy = { ...context.proxy, proxy_to_host_protection: 'unknown' };
  }
  return event;
}

export function tlsEstablishedEvent(context: AuditContext, tls: TlsInfo, now = new Date()): AuditEvent {
  const event = base(context, 'tls.established', now);
  event.event.outcome = 'success';
  event.tls = {
    version: tls.version.replace(/^TLSv/, ''),
    version_protocol: 'tls',
    cipher: tls.cipher,
    ...(tls.group ? { curve: tls.group } : {}),
    server: {
      subject: tls.serverCertificate.subject,
      issuer: tls.serverCertificate.issuer,
      not_after: tls.serverCertificate.notAfter,
      hash: { sha256: tls.serverCertificate.sha256 },
    },
  };
  event.ftpsctl = {
    ...event.ftpsctl,
    chain_validated: tls.chainValidated,
    pinned: tls.pinned,
    fips: tls.fips,
    prot: tls.protection,
    ccc: tls.clearCommandChannel,
  };
  return event;
}

export function transferEvent(context: AuditContext, transfer: TransferResult, now = new Date()): AuditEvent {
  const event = base(context, 'transfer', now);
  event.event.outcome = 'success';
  event.event.duration = transfer.durationMs * 1_000_000; // ECS: nanoseconds
  // file.hash is the whole file's (ECS); a hash of only the resumed tail says which bytes it covers.
  const wholeFileHash = transfer.sha256 !== undefined && transfer.sha256Range === undefined;
  event.file = {
    path: transfer.remotePath,
    size: transfer.offset + transfer.bytes,
    ...(wholeFileHash ? { hash: { sha256: transfer.sha256 } } : {}),
  };
  event.ftpsctl = {
    ...event.ftpsctl,
    direction: transfer.direction,
    bytes: transfer.bytes,
    resumed_from: transfer.offset,
    ...(transfer.sha256 !== undefined && transfer.sha256Range
      ? {
          transferred_sha256: {
            sha256: transfer.sha256,
            start: transfer.sha256Range.start,
            end: transfer.sha256Range.end,
          },
        }
      : {}),
    verified_by: transfer.verifiedBy,
    data_encrypted: transfer.encrypted,
    data_session_resumed: transfer.sessionResumed,
  };
  return event;
}

/** A transfer that failed (or was never tried because the session ended): outcome failure, with the error code. */
export interface FailedTransfer {
  direction: 'download' | 'upload';
  /** The remote path; for a listing line no format could read, the folder listed. */
  remotePath: string;
  error: { code: string; message: string };
  /** The listing line, when the file could not even be named (mirror of an unparsed line). */
  listingLine?: string;
  durationMs?: number;
  /** `unknown`: an upload whose final reply never came (or could not be read): the server may hold the file. */
  outcome?: 'failure' | 'unknown';
}

export function transferFailureEvent(context: AuditContext, failure: FailedTransfer, now = new Date()): AuditEvent {
  const event = base(context, 'transfer', now);
  event.event.outcome = failure.outcome ?? 'failure';
  if (failure.durationMs !== undefined) event.event.duration = failure.durationMs * 1_000_000;
  event.file = { path: failure.remotePath };
  event.error = { code: failure.error.code, message: failure.error.message };
  event.ftpsctl = {
    ...event.ftpsctl,
    direction: failure.direction,
    ...(failure.listingLine !== undefined ? { listing_line: failure.listingLine } : {}),
  };
  return event;
}

/**
 * A change to the server's files other than a transfer: DELE, RNFR/RNTO, MKD, RMD (RFC 959
 * §4.1.3). `path` is the file or folder changed; for a rename, the new name, and `from` the old.
 */
export interface RemoteChange {
  action: 'file.delete' | 'file.rename' | 'directory.create' | 'directory.delete';
  path: string;
  from?: string;
  durationMs: number;
  /** Set when the server refused the change or the connection failed. */
  error?: { code: string; message: string };
  /** With `error`: `failure` (refused), or `unknown` (no reply: the change may have been made). */
  outcome?: 'failure' | 'unknown';
  /** ECS file.type when the action alone does not say it (a rename of a folder: `dir`). */
  fileType?: 'file' | 'dir' | 'symlink';
}

// ECS event.type (event.category is "file" for all) and file.type for each change; a rename's
// file.type is what the server listed (RemoteChange.fileType), never a guess.
const CHANGE_FIELDS: Record<RemoteChange['action'], { type: string; fileType?: 'file' | 'dir' }> = {
  'file.delete': { type: 'deletion', fileType: 'file' },
  'file.rename': { type: 'change' },
  'directory.create': { type: 'creation', fileType: 'dir' },
  'directory.delete': { type: 'deletion', fileType: 'dir' },
};

/** One remote change, success or failure: ECS event.category file, file.path, file.type. */
export function remoteChangeEvent(context: AuditContext, change: RemoteChange, now = new Date()): AuditEvent {
  const event = base(context, change.action, now);
  event.event.outcome = change.error ? (change.outcome ?? 'failure') : 'success';
  event.event.duration = change.durationMs * 1_000_000;
  event.event.category = ['file'];
  const fields = CHANGE_FIELDS[change.action];
  event.event.type = [fields.type];
  const fileType = fields.fileType ?? change.fileType;
  event.file = { path: change.path, ...(fileType ? { type: fileType } : {}) };
  if (change.from !== undefined) event.ftpsctl.renamed_from = change.from;
  if (change.error) event.error = change.error;
  return event;
}

/**
 * `failedTransfers`: how many transfers of the session failed; with any, the session's
 * outcome is failure even when the command itself ended normally (a mirror with failed files).
 */
export function sessionEndEvent(
  context: AuditContext,
  outcome: {
    error?: { code: string; message: string };
    tls?: TlsInfo;
    durationMs: number;
    failedTransfers?: { count: number; firstCode: string };
  },
  now = new Date(),
): AuditEvent {
  const event = base(context, 'session.end', now);
  const failed = outcome.failedTransfers && outcome.failedTransfers.count > 0 ? outcome.failedTransfers : undefined;
  event.event.outcome = outcome.error || failed ? 'failure' : 'success';
  event.event.duration = outcome.durationMs * 1_000_000;
  if (outcome.error) event.error = { code: outcome.error.code, message: outcome.error.message };
  else if (failed)
    event.error = {
      code: failed.firstCode,
      message: `${failed.count} transfer${failed.count === 1 ? '' : 's'} failed`,
    };
  if (failed) event.ftpsctl = { ...event.ftpsctl, failed_transfers: failed.count };
  if (outcome.tls)
    event.ftpsctl = {
      ...event.ftpsctl,
      data_connections: outcome.tls.dataConnections,
      data_connections_resumed: outcome.tls.dataConnectionsResumed,
    };
  return event;
}

/**
 * session.end for a session the program never closed, written as the process exits: outcome
 * unknown (what the last operations did is in their own events), event.reason saying so.
 */
export function unclosedSessionEndEvent(
  context: AuditContext,
  outcome: { tls?: TlsInfo; durationMs: number; failedTransfers?: { count: number; firstCode: string } },
  now = new Date(),
): AuditEvent {
  const event = sessionEndEvent(context, outcome, now);
  event.event.outcome = 'unknown';
  (event.event as Record<string, unknown>).reason =
    'the process exited without closing the session (close() was never called or never finished)';
  return event;
}

export interface Refusal {
  /** Why, as `resolve` prints it (the violations), or the input problem. */
  reason: string;
  error: { code: string; message: string };
  /** The policy and file that refused it, when one did (the first violation's). */
  refusedBy?: { policy?: string; file?: string; line?: number };
}

/**
 * `session.refused`: policy (exit 4) or a check of the inputs (exit 3) stopped the session
 * before any connection. Without a resolution (the profile could not be read) the profile is
 * named by its file and the server and user are unknown.
 */
export function sessionRefusedEvent(context: AuditContext, refusal: Refusal, now = new Date()): AuditEvent {
  const event = base(context, 'session.refused', now);
  event.event.outcome = 'failure';
  (event.event as Record<string, unknown>).reason = refusal.reason;
  event.error = refusal.error;
  if (refusal.refusedBy) event.ftpsctl.refused_by = refusal.refusedBy;
  return event;
}
