/**
 * A managed session: the resolved, path-anchored settings, secrets from their sources, and an
 * audit trail that records itself. Every transfer made through it (get, put, download, upload,
 * mirror) writes its own `transfer` event, success or failure; `close()` writes `session.end`.
 *
 * What it holds stays inside: the engine session, the credentials and the audit log are private
 * fields (not shown by `util.inspect`, `console.log` or `JSON.stringify`), and the settings it
 * runs with are a frozen copy made when it started, so nothing a caller changes afterwards
 * reaches the mirror's extra connections. Operations run one at a time, in call order.
 * (The unmanaged engine is `ftpsctl/engine`, documented as such.)
 */
import { randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import { inspect } from 'node:util';
import type { Readable, Writable } from 'node:stream';
import type {
  FtpsSession,
  Listing,
  ListEntries,
  OpenSessionOptions,
  SessionInfo,
  TlsInfo,
  TransferOptions,
  TransferResult,
} from '../engine/ftps-session';
import { openSession } from '../engine/ftps-session';
import type { ListEntry } from '../engine/parse-list';
import type { Credentials } from '../engine/engine-settings';
import { FtpsctlError, SessionError } from '../errors';
import { redactError, registerBasicCredentials, registerSecret } from '../text/secret-redaction';
import {
  remoteChangeEvent,
  auditedPolicies,
  auditedProfileFile,
  resolutionSha256,
  sessionEndEvent,
  unclosedSessionEndEvent,
  sessionStartEvent,
  tlsEstablishedEvent,
  transferEvent,
  transferFailureEvent,
  type AuditContext,
  type FailedTransfer,
  type RemoteChange,
} from './audit-events';
import { AuditLog } from './audit-log';
import { downloadFile, type DownloadResult } from './download-file';
import { uploadResumeOffset, type UploadResult } from './upload-resume';
import { errorSummary } from './error-summary';
import { runManagedMirror, type ManagedMirrorOptions } from './managed-mirror';
import type { MirrorReport } from './mirror';
import type { PreparedSession } from './prepare-session';
import { dialedAddressCheck } from '../resolve/resolution-dial-check';
import { checkSession, type SessionCheckView } from './render-session-check';
import type { SecretIo } from './secrets';
import { readCredentials } from './session-credentials';

/** How long close() waits for a running operation to fail once its connections are closed (ms). */
const OPERATION_SETTLE_MS = 5000;
/**
 * Errors after which a change's outcome is unknown: the command was sent and no reply that can be
 * read says what happened (a timeout, a dropped connection, a reply out of protocol: a malformed
 * code, a 1xx/3xx to DELE). Only a refusal (4xx/5xx: FTPSCTL_ERR_COMMAND_FAILED) or a check
 * before sending is a failure.
 */
const NO_REPLY_CODES = new Set(['FTPSCTL_ERR_TIMEOUT', 'FTPSCTL_ERR_CLOSED', 'FTPSCTL_ERR_PROTOCOL']);
/** ECS file.type for a listing entry's type. */
const ECS_FILE_TYPES: Record<string, 'file' | 'dir' | 'symlink' | undefined> = {
  file: 'file',
  directory: 'dir',
  symlink: 'symlink',
};

export interface ManagedSessionOptions {
  /** Extra audit logs (the CLI's --audit-log); the resolution's audit.logFile and mandated logs are always written. */
  auditLogFiles?: readonly string[];
  /** Where secrets come from: environment variables, and a no-echo prompt when there is a terminal. */
  secrets: SecretIo;
  /** Already read (a parallel mirror asks for a prompted password once, not per connection). */
  credentials?: Credentials;
  /** Engine options: a protocol log (`log`, masked), a dialer. `checkDialedAddress` is always the resolution's. */
  engine?: OpenSessionOptions;
}

/** Internal: how a session is opened. */
interface OpenOptions extends ManagedSessionOptions {
  /** A mirror's extra connection, while the session's first one is logged in with the same credentials. */
  extraConnection?: boolean;
}

/**
 * A mirror's extra connection refused at login: the same credentials just worked on the first
 * connection, so the server limits connections (per user or host: proftpd's 530 from
 * MaxClientsPerHost, pure-ftpd's per-user limit); the audit log says so instead of "check the
 * user and the password". The mirror goes on with fewer connections.
 */
function extraConnectionRefusal(error: unknown): unknown {
  if (!(error instanceof SessionError) || error.code !== 'FTPSCTL_ERR_AUTH_FAILED') return error;
  return new SessionError(
    error.code,
    `an extra connection of a mirror was refused at login${error.reply ? ` (${error.reply.code} ${error.reply.message})` : ''} while the first connection is logged in with the same credentials: the server limits connections per user or host; the mirror went on with fewer connections (lower transfer.parallel to avoid this)`,
    { cause: error, ...(error.reply ? { reply: error.reply } : {}), ...(error.host ? { host: error.host } : {}) },
  );
}

/** The error a mirror's extra connection ends with when its session is closed under it. */
function closedUnderMirror(): SessionError {
  return new SessionError('FTPSCTL_ERR_CLOSED', "the mirror's session was closed, so this connection was closed too");
}

/** Download/upload options of a managed session (no `sha256` switch: the audit always gets the SHA-256). */
export interface ManagedTransferOptions {
  /** Continue an interrupted transfer; refused (FTPSCTL_ERR_USAGE) where transfer.resume is off. */
  resume?: boolean;
  /** Bytes moved so far in this transfer (for a progress display). */
  onProgress?: TransferOptions['onProgress'];
  /** The remote size when the caller already asked (saves a SIZE). */
  remoteSize?: number;
  /**
   * Called with the remote size (SIZE; undefined when refused) before the download starts, for a
   * progress display's total. The SIZE is part of the recorded transfer: its failure is audited.
   */
  onRemoteSize?: (size: number | undefined) => void;
}

/** What `util.inspect`, `console.log` and `JSON.stringify` show of a session: no secret, no environment. */
export interface ManagedSessionSummary {
  profile: string;
  server: { host: string; port: number };
  user: string;
  tls?: { version: string; cipher: string; protection: 'P' | 'C' };
  closed: boolean;
}

/** Set by ManagedSession's static block: starts a session from prepared, frozen settings. */
let openEngineSession: (prepared: PreparedSession, options: OpenOptions) => Promise<ManagedSession>;

export class ManagedSession {
  readonly #prepared: PreparedSession;
  readonly #engine: FtpsSession;
  readonly #audit: AuditLog;
  readonly #context: AuditContext;
  readonly #options: ManagedSessionOptions & { credentials: Credentials };
  readonly #started = Date.now();
  #ended = false;
  /** A running mirror's extra connections (each its own session), closed with this one. */
  readonly #workers = new Set<ManagedSession>();
  /** The one end() that runs: later calls wait for it. */
  #ending: Promise<void> | undefined;
  readonly #failedTransfers = { count: 0, firstCode: '' };
  /** The first operation of this session that failed: session.end says failure with it. */
  #failure: unknown;
  /** Settles when the operation before the next one has settled (one control connection). */
  #queue: Promise<unknown> = Promise.resolve();
  /** The server's folder after cwd() (PWD), for full paths in audit events; unknown before any cwd(). */
  #workingDirectory: string | undefined;

  /** Sessions are made by `connect()` (or the CLI), never by hand: see startManagedSession. */
  private constructor(
    prepared: PreparedSession,
    engine: FtpsSession,
    audit: AuditLog,
    context: AuditContext,
    options: ManagedSessionOptions & { credentials: Credentials },
  ) {
    this.#prepared = prepared;
    this.#engine = engine;
    this.#audit = audit;
    this.#context = context;
    this.#options = options;
  }

  /** Sessions opened and not yet ended: the process's 'exit' writes their session.end (outcome unknown). */
  static readonly #unclosed = new Set<ManagedSession>();

  /** An audit trail where a program forgot close() still shows where each session ended. */
  static #rememberUntilEnded(session: ManagedSession): void {
    if (ManagedSession.#unclosed.size === 0 && !process.listeners('exit').includes(ManagedSession.#endUnclosed))
      process.on('exit', ManagedSession.#endUnclosed);
    ManagedSession.#unclosed.add(session);
  }

  static #endUnclosed(): void {
    for (const session of ManagedSession.#unclosed) {
      session.#audit.writeAtExit(unclosedSessionEndEvent(session.#context, session.#endFacts(session.tlsInfo())));
    }
    ManagedSession.#unclosed.clear();
  }

  /** @internal startManagedSession's way in (a static block can reach the private constructor). */
  static {
    openEngineSession = async (prepared, options) => {
      const { settings } = prepared;
      const credentials = options.credentials ?? (await readCredentials(settings, options.secrets));
      // A proxy may echo its Proxy-Authorization header: the Basic token is a secret too.
      const proxyUser = settings.proxy.enabled ? settings.proxy.authorization?.user : undefined;
      if (proxyUser !== undefined && credentials.proxyPassword !== undefined)
        registerBasicCredentials(proxyUser, credentials.proxyPassword);
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
      let engine: FtpsSession;
      try {
        engine = await openSession(settings, credentials, {
          ...options.engine,
          checkDialedAddress: dialedAddressCheck(prepared.resolution),
        });
      } catch (failure) {
        const error = options.extraConnection ? extraConnectionRefusal(failure) : failure;
        await audit.write(sessionEndEvent(context, { error: errorSummary(error), durationMs: Date.now() - started }));
        await audit.close();
        throw error;
      }
      const managed = new ManagedSession(prepared, engine, audit, context, { ...options, credentials });
      ManagedSession.#rememberUntilEnded(managed);
      const tls = engine.tlsInfo();
      if (tls) {
        try {
          await audit.write(tlsEstablishedEvent(context, tls));
        } catch (error) {
          await managed.end(error).catch(() => undefined);
          throw error;
        }
      }
      return managed;
    };
  }

  /** The profile file, its resolution and the effective settings (paths anchored): frozen. */
  get prepared(): PreparedSession {
    return this.#prepared;
  }

  /** Host, port, greeting and FEAT of the control connection. */
  info(): SessionInfo {
    return this.#engine.info();
  }

  /** What TLS negotiated (undefined for plain FTP). */
  tlsInfo(): TlsInfo | undefined {
    return this.#engine.tlsInfo();
  }

  /** `session check`: one listing of the login folder probes the data channel, then what was negotiated. */
  check(): Promise<SessionCheckView> {
    return this.#serial(() => checkSession(this.#engine, this.#prepared.settings.name));
  }

  pwd(): Promise<string> {
    return this.#serial(() => this.#engine.pwd());
  }

  /** CWD, then PWD: later audit events name files by their full path in the new folder. */
  cwd(path: string): Promise<void> {
    return this.#serial(async () => {
      await this.#engine.cwd(path);
      // Without a PWD answer: the folder as far as it is known (an absolute path, or joined to the last one).
      const joined = path.startsWith('/') || this.#workingDirectory !== undefined ? this.#auditPath(path) : undefined;
      this.#workingDirectory = await this.#engine.pwd().catch(() => joined);
    });
  }

  /** MLSD (LIST where the server has none, per transfer.listing): entries, unparsed lines and warnings. */
  listing(path?: string): Promise<Listing> {
    return this.#serial(() => this.#engine.listing(path));
  }

  list(path?: string): Promise<ListEntries> {
    return this.#serial(() => this.#engine.list(path));
  }

  stat(path: string): Promise<ListEntry | undefined> {
    return this.#serial(() => this.#engine.stat(path));
  }

  size(path: string): Promise<number | undefined> {
    return this.#serial(() => this.#engine.size(path));
  }

  /** MKD; writes a `directory.create` event, success or failure. */
  mkdir(path: string): Promise<void> {
    return this.#serial(() => this.#makeFolder(path));
  }

  /** RMD; writes a `directory.delete` event, success or failure. */
  rmdir(path: string): Promise<void> {
    return this.#serial(() => this.#changed({ action: 'directory.delete', path }, () => this.#engine.rmdir(path)));
  }

  /** DELE; writes a `file.delete` event, success or failure. */
  delete(path: string): Promise<void> {
    return this.#serial(() => this.#changed({ action: 'file.delete', path }, () => this.#engine.delete(path)));
  }

  /** RNFR/RNTO; writes a `file.rename` event (file.path the new name, ftpsctl.renamed_from the old). */
  rename(from: string, to: string): Promise<void> {
    return this.#serial(async () => {
      // file.type says what was renamed (a folder too): one MLST/LIST first, omitted when it can't tell.
      const entry = await this.#engine.stat(from).catch(() => undefined);
      const fileType = entry ? ECS_FILE_TYPES[entry.type] : undefined;
      return this.#changed({ action: 'file.rename', path: to, from, ...(fileType ? { fileType } : {}) }, () =>
        this.#engine.rename(from, to),
      );
    });
  }

  /**
   * Downloads to `localPath` through `localPath.ftpsctl-part` (renamed only once verified; see
   * download-file.ts), and records the transfer event, success or failure.
   */
  download(remotePath: string, localPath: string, options: ManagedTransferOptions = {}): Promise<DownloadResult> {
    return this.#serial(async () => {
      const resume = this.#allowResume(options.resume === true);
      const onProgress = options.onProgress;
      return this.#recorded('download', remotePath, async () => {
        let remoteSize = options.remoteSize;
        if (remoteSize === undefined && options.onRemoteSize) remoteSize = await this.#engine.size(remotePath);
        options.onRemoteSize?.(remoteSize);
        return downloadFile(this.#engine, remotePath, localPath, {
          resume,
          ...(onProgress ? { onProgress } : {}),
          ...(remoteSize !== undefined ? { remoteSize } : {}),
        });
      });
    });
  }

  /**
   * Uploads a local file; with `resume`, from where the remote file ends (SIZE, then APPE).
   * Verified per transfer.verify; the transfer event is recorded, success or failure.
   * `onProgress` counts the whole file's bytes, the part already there included.
   */
  upload(localPath: string, remotePath: string, options: ManagedTransferOptions = {}): Promise<UploadResult> {
    return this.#serial(async () => {
      const resume = this.#allowResume(options.resume === true);
      let discarded: string | undefined;
      const result = await this.#recorded('upload', remotePath, async () => {
        // A remote part older than the local file's last change is not its start (upload-resume.ts).
        const from = resume ? await uploadResumeOffset(this.#engine, localPath, remotePath) : { offset: 0 };
        discarded = from.discarded;
        const offset = from.offset;
        const onProgress = options.onProgress;
        return this.#engine.put(localPath, remotePath, {
          offset,
          sha256: true,
          ...(onProgress ? { onProgress: (bytes: number) => onProgress(offset + bytes) } : {}),
        });
      });
      return discarded ? { ...result, partDiscarded: discarded } : result;
    });
  }

  /** Downloads into a stream (nothing on disk to keep or rename); recorded like `download`. */
  get(
    remotePath: string,
    destination: Writable,
    options: Omit<ManagedTransferOptions, 'resume'> = {},
  ): Promise<TransferResult> {
    return this.#serial(() =>
      this.#recorded('download', remotePath, () =>
        this.#engine.get(remotePath, destination, {
          sha256: true,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.remoteSize !== undefined ? { remoteSize: options.remoteSize } : {}),
        }),
      ),
    );
  }

  /** Uploads from a stream; recorded like `upload`. */
  put(
    source: Readable,
    remotePath: string,
    options: Pick<ManagedTransferOptions, 'onProgress'> = {},
  ): Promise<TransferResult> {
    return this.#serial(() =>
      this.#recorded('upload', remotePath, () =>
        this.#engine.put(source, remotePath, {
          sha256: true,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        }),
      ),
    );
  }

  /**
   * Mirrors a tree (download, or upload with `direction: 'upload'`) over transfer.parallel
   * connections of this session, each with its own audit events; session.end says failure when
   * any file failed.
   */
  mirror(options: ManagedMirrorOptions): Promise<MirrorReport> {
    return this.#serial(async () => {
      const resume = this.#allowResume(options.resume === true);
      return runManagedMirror(
        {
          engine: this.#engine,
          settings: this.#prepared.settings,
          record: (result) => this.#recordTransfer(result),
          recordFailure: (failure) => this.#recordTransferFailure(failure),
          noteFailure: (code) => this.#noteTransferFailure(code),
          makeFolder: (path) => this.#makeFolder(path),
          openWorker: async () => {
            const worker = await openEngineSession(this.#prepared, { ...this.#options, extraConnection: true });
            // Closed meanwhile: this worker starts nothing.
            if (this.#ended) await worker.end(closedUnderMirror());
            this.#workers.add(worker);
            return {
              engine: worker.#engine,
              record: (result) => worker.#recordTransfer(result),
              recordFailure: (failure) => worker.#recordTransferFailure(failure),
              end: (error) => {
                this.#workers.delete(worker);
                return worker.end(error);
              },
            };
          },
          stopped: () => this.#ended,
        },
        { ...options, resume },
      );
    });
  }

  /** Closes the session and writes session.end: failure when an operation of the session failed. */
  close(): Promise<void> {
    return this.end();
  }

  /** `await using session = await connect(...)` closes it (and writes session.end) at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Closes the session and writes session.end (with `error`, or else the first failed
   * operation's error, if any). Idempotent: a second call settles with the first, once its
   * session.end is written and the logs closed (a caller that exits after it loses nothing).
   * Doesn't wait for a running operation: closing its connections is how an interruption
   * (Ctrl-C) stops it.
   */
  end(error?: unknown): Promise<void> {
    this.#ended = true;
    this.#ending ??= this.#endSession(error).finally(() => ManagedSession.#unclosed.delete(this));
    return this.#ending;
  }

  async #endSession(error: unknown): Promise<void> {
    const tls = this.#engine.tlsInfo();
    // A running mirror's other connections close too: closing the connections is how it stops.
    for (const worker of this.#workers) void worker.end(closedUnderMirror()).catch(() => undefined);
    await this.#engine.close().catch(() => undefined);
    // A running operation fails once its connections are closed: its event (and its failure)
    // comes before session.end. Bounded, so a close never hangs on it.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#queue,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, OPERATION_SETTLE_MS))),
    ]);
    clearTimeout(timer);
    const failure = error ?? this.#failure;
    await this.#audit.write(
      sessionEndEvent(this.#context, {
        ...(failure !== undefined ? { error: errorSummary(failure) } : {}),
        ...this.#endFacts(tls),
      }),
    );
    // Written: the process's exit must not add a second session.end.
    ManagedSession.#unclosed.delete(this);
    await this.#audit.close();
  }

  /** What session.end reports besides the error: TLS counts (read before the connections close), duration, failed transfers. */
  #endFacts(tls: TlsInfo | undefined): {
    tls?: TlsInfo;
    durationMs: number;
    failedTransfers: { count: number; firstCode: string };
  } {
    return {
      ...(tls ? { tls } : {}),
      durationMs: Date.now() - this.#started,
      failedTransfers: this.#failedTransfers,
    };
  }

  /** No secret and no environment: what a log line about the session may say. */
  toJSON(): ManagedSessionSummary {
    const { settings } = this.#prepared;
    const tls = this.#engine.tlsInfo();
    return {
      profile: settings.name,
      server: { host: settings.host, port: settings.port },
      user: settings.user,
      ...(tls ? { tls: { version: tls.version, cipher: tls.cipher, protection: tls.protection } } : {}),
      closed: this.#ended,
    };
  }

  [inspect.custom](): string {
    return `ManagedSession ${inspect(this.toJSON(), { depth: 3, breakLength: Infinity })}`;
  }

  /** Runs `operation` after the ones called before it have settled; a failure is remembered for session.end. */
  #serial<T>(operation: () => Promise<T>): Promise<T> {
    // Fail closed: once an audit log could not take an event, nothing more reaches the server.
    let refusedAsClosed = false;
    const run = this.#queue.then(() => {
      // Closed: nothing is sent, and nothing is recorded in logs that are closed too.
      if (this.#ended) {
        refusedAsClosed = true;
        throw new SessionError(
          'FTPSCTL_ERR_CLOSED',
          `the session of profile ${this.#prepared.settings.name} is closed; open a new one with connect()`,
        );
      }
      const broken = this.#audit.failure;
      if (broken) throw broken;
      return operation();
    });
    this.#queue = run.catch(() => undefined);
    return run.catch((error: unknown) => {
      if (!refusedAsClosed) this.#failure ??= error;
      // A password a server echoed is redacted before the caller sees the error.
      throw redactError(error);
    });
  }

  /** `resume` only where transfer.resume (profile or policy) allows it. */
  #allowResume(requested: boolean): boolean {
    if (requested && !this.#prepared.settings.transfer.resume) {
      throw new FtpsctlError(
        'FTPSCTL_ERR_USAGE',
        `resuming is turned off for profile ${this.#prepared.settings.name} by transfer.resume (see ftpsctl resolve); transfer without resuming (no --resume; in the library, resume: false)`,
      );
    }
    return requested;
  }

  /**
   * Runs one transfer and writes its event: the result, or which transfer failed and why (a
   * progress callback that threw fails its transfer with its own error: engine/report-progress.ts).
   */
  async #recorded(
    direction: 'download' | 'upload',
    remotePath: string,
    transfer: () => Promise<TransferResult>,
  ): Promise<TransferResult> {
    const started = Date.now();
    let result: TransferResult;
    try {
      result = await transfer();
    } catch (error) {
      // The transfer's own error goes on; a log that can't take the event fails session.end instead.
      await this.#recordTransferFailure({ direction, remotePath, error, durationMs: Date.now() - started }).catch(
        () => undefined,
      );
      throw error;
    }
    await this.#recordTransfer(result);
    return result;
  }

  /** MKD, recorded: `mkdir` and the folders a mirror upload makes. */
  #makeFolder(path: string): Promise<void> {
    return this.#changed({ action: 'directory.create', path }, () => this.#engine.mkdir(path));
  }

  /**
   * Runs one change to the server's files and writes its event. A failed change keeps its own
   * error (and session.end says failure); a log that can't take the event of a successful
   * change fails the call, as a transfer's does.
   */
  async #changed(
    change: Omit<RemoteChange, 'durationMs' | 'error' | 'outcome'>,
    run: () => Promise<void>,
  ): Promise<void> {
    const started = Date.now();
    change = {
      ...change,
      path: this.#auditPath(change.path),
      ...(change.from !== undefined ? { from: this.#auditPath(change.from) } : {}),
    };
    try {
      await run();
    } catch (error) {
      const summary = errorSummary(error);
      // No readable reply (a timeout, a dropped connection, a reply out of protocol): the server may have made the change.
      const outcome = NO_REPLY_CODES.has(summary.code) ? 'unknown' : 'failure';
      await this.#audit
        .write(
          remoteChangeEvent(this.#context, { ...change, durationMs: Date.now() - started, error: summary, outcome }),
        )
        .catch(() => undefined);
      throw error;
    }
    await this.#audit.write(remoteChangeEvent(this.#context, { ...change, durationMs: Date.now() - started }));
  }

  async #recordTransfer(result: TransferResult): Promise<void> {
    await this.#audit.write(
      transferEvent(this.#context, { ...result, remotePath: this.#auditPath(result.remotePath) }),
    );
  }

  /** A failed transfer: a `transfer` event with outcome failure; session.end then says failure too. */
  async #recordTransferFailure(failure: Omit<FailedTransfer, 'error'> & { error: unknown }): Promise<void> {
    const error = errorSummary(failure.error);
    this.#noteTransferFailure(error.code);
    // An upload with no readable final reply may have been stored whole: unknown, as for a remote change.
    const outcome = failure.direction === 'upload' && NO_REPLY_CODES.has(error.code) ? 'unknown' : 'failure';
    await this.#audit.write(
      transferFailureEvent(this.#context, {
        ...failure,
        remotePath: this.#auditPath(failure.remotePath),
        error,
        outcome,
      }),
    );
  }

  /** A remote path as the audit names it: after cwd(), relative paths are joined to that folder. */
  #auditPath(remotePath: string): string {
    const folder = this.#workingDirectory;
    return folder === undefined || remotePath.startsWith('/') ? remotePath : posix.join(folder, remotePath);
  }

  /** A transfer of this session failed on another connection (a mirror worker wrote its event). */
  #noteTransferFailure(code: string): void {
    this.#failedTransfers.count += 1;
    this.#failedTransfers.firstCode ||= code;
  }
}

/**
 * Starts a managed session from a prepared (resolved, allowed, anchored) session: reads the
 * secrets, opens the audit logs (session.start), connects with every dialed address checked
 * against the host rules, and writes tls.established. A failed connection writes session.end
 * with the error, then throws it. Internal: the library's way in is `connect()`, which also
 * resolves against the machine's policies; this function is not exported from the package.
 */
export function startManagedSession(
  prepared: PreparedSession,
  options: ManagedSessionOptions,
): Promise<ManagedSession> {
  // Secrets a caller hands over (connect({ credentials })) are redacted like those read from their sources.
  const { password, clientKeyPassphrase, proxyPassword } = options.credentials ?? {};
  for (const secret of [password, clientKeyPassphrase, proxyPassword]) if (secret) registerSecret(secret);
  return openEngineSession(frozenCopy(prepared), options);
}

/** A deep copy nothing can change: what a session runs with is fixed when it starts. */
function frozenCopy<T>(value: T): T {
  const copy = structuredClone(value);
  const freeze = (object: unknown): void => {
    if (object === null || typeof object !== 'object' || Object.isFrozen(object)) return;
    Object.freeze(object);
    for (const inner of Object.values(object)) freeze(inner);
  };
  freeze(copy);
  return copy;
}

function auditContext(prepared: PreparedSession): AuditContext {
  const { settings, resolution } = prepared;
  const context: AuditContext = {
    sessionId: randomUUID(),
    profile: settings.name,
    resolutionSha256: resolutionSha256(resolution),
    ...auditedPolicies(resolution),
    profileFile: auditedProfileFile(prepared.profileFile, resolution.profileSha256),
    managed: resolution.managed ?? true,
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

/** Runs `work` in a new managed session and always ends it: session.end carries the error, if any. */
export async function inManagedSession<T>(
  prepared: PreparedSession,
  options: ManagedSessionOptions,
  work: (managed: ManagedSession) => Promise<T>,
  onStart?: (managed: ManagedSession) => void,
): Promise<T> {
  const managed = await startManagedSession(prepared, options);
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
