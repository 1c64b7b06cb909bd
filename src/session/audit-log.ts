/**
 * Append-only JSON-lines audit log. Each event is one line written to a file opened with
 * O_APPEND, so lines from parallel sessions (even other processes) land whole; writes from
 * one process are also queued in order.
 *
 * Fail closed (a session that must be audited does not go on unaudited):
 *  - a log that can't be opened ends the command before any connection;
 *  - a write that fails (ENOSPC: full disk, EIO, EFBIG, EDQUOT, ...) or makes no progress
 *    rejects with FTPSCTL_ERR_AUDIT_LOG naming the log file (exit 6), and every later write to
 *    that log rejects with the same error: nothing is appended after a failed line;
 *  - a short write (fewer bytes than asked, as write(2) may do on a nearly full disk or a
 *    pipe) is continued until the whole line is written;
 *  - a line torn by a crash or full disk, ours or another writer's, before or during the
 *    session (the file does not end in "\n" when an event is about to be written) is closed
 *    with a "\n" first, so one bad line never swallows the next event;
 *  - the log is its path, not the file first opened: before each event the path is looked up
 *    again, and when it names another file (logrotate `create`: renamed away, a new file made)
 *    or nothing (the file or its folder removed, logrotate `nocreate`, `compress` without
 *    `delaycompress` deleting the renamed file) the path is opened again (created 0600 when
 *    missing, with the same checks), so later events are never written to a file no one can
 *    find. What is at the path then and is not a regular file fails the session as above.
 *
 * What an audit log may be (openForAppend): a regular file, or a path where nothing exists yet
 * (then created with mode 0600, less the umask; missing folders are created). Anything else, a
 * FIFO (writes would sit in the pipe buffer and be lost), a character or block device, a
 * directory, a socket, or a symbolic link to one of these, is refused with FTPSCTL_ERR_AUDIT_LOG
 * naming the file and what it is, before any connection. A symbolic link to a regular file is
 * followed, as syslog daemons and logrotate do (logs are often linked onto another volume); a
 * dangling link is refused rather than created through. The checks run on the path (stat) and
 * again on the opened descriptor (fstat), and the open uses O_NONBLOCK (a FIFO swapped in never
 * blocks it) and O_NOCTTY, like src/files/read-user-file.ts; a new file is created with
 * O_CREAT|O_EXCL|O_NOFOLLOW, so nothing can be planted in its place between the check and the open.
 */
import { constants, writeSync, type Stats } from 'node:fs';
import { lstat, open as openFile, stat } from 'node:fs/promises';
import { makeFolders } from '../files/make-folders';
import path from 'node:path';
import { errnoInWords, FtpsctlError } from '../errors';
import { describeFileType } from '../files/read-user-file';
import type { AuditEvent } from './audit-events';
import { redactSecretsIn } from '../text/secret-redaction';
import { encodeUtf8Escaped } from '../engine/name-codec';

/** The part of a FileHandle the log uses (injectable, so tests can simulate a full disk). */
export interface AuditFileHandle {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  /** dev and ino (node:fs Stats has them) tell whether the path still names this file; a handle without them is never reopened. */
  stat(): Promise<{ size: number; isFile(): boolean; dev?: number; ino?: number }>;
  close(): Promise<void>;
  /** The descriptor (node:fs FileHandle has it): lets writeAtExit append without the event loop. */
  readonly fd?: number;
}

export interface AuditLogOptions {
  /** Opens one log for appending (default: openForAppend: a regular file, created 0600 when missing). */
  openFile?: (file: string) => Promise<AuditFileHandle>;
}

/** An audit log path that is not a regular file: what it is, and the fix. */
function notRegularLog(file: string, what: string): FtpsctlError {
  return new FtpsctlError(
    'FTPSCTL_ERR_AUDIT_LOG',
    `the audit log ${file} is ${what}, not a regular file; an audit log must be a regular file (or not exist yet: it is then created, mode 0600), so events can't be lost: give the path of a file; a session that must be audited does not start without it`,
  );
}

function typeOf(info: Stats): string {
  return describeFileType(info) ?? 'not a regular file';
}

/** O_NONBLOCK: a FIFO is never waited on; O_NOCTTY: a terminal never becomes ours. 0 where the platform lacks the flag (Windows). */
const APPEND_FLAGS = constants.O_RDWR | constants.O_APPEND | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const CREATE_FLAGS = constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Opens a regular file for append and read (read: the last byte, to close a torn line),
 * creating it (0600) when nothing is there. Refuses anything else with FTPSCTL_ERR_AUDIT_LOG
 * (see the module comment); errno failures reject as they come, for AuditLog.open to name.
 */
export async function openForAppend(file: string, attempt = 0): Promise<AuditFileHandle> {
  await makeFolders(path.dirname(file));
  let before: Stats | undefined;
  try {
    before = await stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const link = await lstat(file).catch(() => undefined);
    if (link?.isSymbolicLink())
      throw new FtpsctlError(
        'FTPSCTL_ERR_AUDIT_LOG',
        `the audit log ${file} is a symbolic link to a file that does not exist; an audit log is not created through a dangling link: create the file the link points to, or fix the link; a session that must be audited does not start without it`,
      );
  }
  if (before && !before.isFile()) throw notRegularLog(file, typeOf(before));
  let handle;
  try {
    handle = await openFile(file, APPEND_FLAGS | (before ? 0 : CREATE_FLAGS), 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // Created (or linked) by someone else between the stat and the open: look again, once.
    if (!before && (code === 'EEXIST' || code === 'ELOOP') && attempt === 0) return openForAppend(file, 1);
    throw error;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw notRegularLog(file, typeOf(info));
    return handle;
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

interface OpenLog {
  file: string;
  handle: AuditFileHandle;
  /** `dev:ino` of the open file, when its handle tells (see followPath). */
  identity?: string;
  /** Opens the path again (AuditLogOptions.openFile). */
  open: (file: string) => Promise<AuditFileHandle>;
  /** The file ended mid-line: write "\n" before the next event. */
  torn: boolean;
  /** The file's size right after this log's last whole line, as far as it knows. */
  endsAt?: number;
  failure?: FtpsctlError;
}

export class AuditLog {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly files: string[],
    private readonly logs: OpenLog[],
  ) {}

  /** Opens every named log (deduplicated); a log that can't be opened ends the command before any connection. */
  static async open(files: readonly string[], options: AuditLogOptions = {}): Promise<AuditLog> {
    const unique = [...new Set(files.map((f) => path.resolve(f)))];
    const open = options.openFile ?? openForAppend;
    const logs: OpenLog[] = [];
    for (const file of unique) {
      let handle: AuditFileHandle | undefined;
      try {
        handle = await open(file);
        const info = await handle.stat();
        logs.push({ file, handle, identity: identityOf(info), open, torn: await endsMidLine(handle) });
      } catch (error) {
        await Promise.all(
          [...logs.map((l) => l.handle.close()), ...(handle ? [handle.close()] : [])].map((p) =>
            p.catch(() => undefined),
          ),
        );
        if (error instanceof FtpsctlError) throw error;
        throw new FtpsctlError(
          'FTPSCTL_ERR_AUDIT_LOG',
          `cannot open the audit log ${file}: ${errnoInWords(error)}; a session that must be audited does not start without it`,
          { cause: error },
        );
      }
    }
    return new AuditLog(unique, logs);
  }

  /**
   * Appends one event as one line to every log. Rejects with FTPSCTL_ERR_AUDIT_LOG (naming the
   * log) when a log can't take the whole line; the caller stops the session.
   */
  write(event: AuditEvent): Promise<void> {
    // A secret a server echoed (into an error message, a reply) never reaches the log.
    const line = eventLine(event);
    const next = this.queue.then(async () => {
      for (const log of this.logs) await writeLine(log, line);
    });
    // A failed write must not stop later writes from reporting their own (same) failure.
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Appends one event synchronously (write(2) on each log's descriptor): for a process 'exit'
   * listener, where no event loop is left to run an async write. Best effort by nature: a log
   * that failed, or has no descriptor, takes nothing, and events queued before and not yet
   * written are lost with the process.
   */
  writeAtExit(event: AuditEvent): void {
    const line = eventLine(event);
    for (const log of this.logs) {
      const fd = log.handle.fd;
      if (log.failure || fd === undefined) continue;
      const bytes = log.torn ? Buffer.concat([Buffer.from('\n'), line]) : line;
      try {
        for (let written = 0; written < bytes.length;) {
          const count = writeSync(fd, bytes, written);
          if (!(count > 0)) break;
          written += count;
        }
        log.torn = false;
      } catch {
        // The process is exiting: there is no one left to report to.
      }
    }
  }

  /** The first failure of any log (FTPSCTL_ERR_AUDIT_LOG), once a write failed: the session must stop. */
  get failure(): FtpsctlError | undefined {
    return this.logs.find((log) => log.failure)?.failure;
  }

  async close(): Promise<void> {
    await this.queue;
    await Promise.all(this.logs.map((l) => l.handle.close().catch(() => undefined)));
  }
}

/** One event as its line: redacted as a value (a secret a server echoed), made I-JSON, then serialised. */
function eventLine(event: AuditEvent): Buffer {
  return Buffer.from(`${JSON.stringify(wellFormedEvent(redactSecretsIn(event)))}\n`, 'utf8');
}

/** Whether any string (key or value) holds a surrogate that is not half of a pair. */
function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !value.isWellFormed();
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).some(([key, inner]) => !key.isWellFormed() || holdsLoneSurrogate(inner));
  return false;
}

/**
 * The event with no lone surrogate in any string (I-JSON, RFC 7493 §2.1: jq and Go read one as
 * U+FFFD, strict parsers drop the line). A file name that is not UTF-8 is kept by the engine as
 * U+DC80-U+DCFF per byte (name-codec.ts): `file.path` (and `ftpsctl.renamed_from`) get U+FFFD
 * there, and `ftpsctl.file_path_bytes` (`ftpsctl.renamed_from_bytes`) the name's exact bytes in
 * hex, so two names that differ in such a byte stay apart.
 */
export function wellFormedEvent(event: AuditEvent): AuditEvent {
  if (!holdsLoneSurrogate(event)) return event;
  const fix = (value: unknown): unknown => {
    if (typeof value === 'string') return value.toWellFormed();
    if (Array.isArray(value)) return value.map(fix);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [fix(key), fix(inner)]));
    return value;
  };
  const bytes: Record<string, string> = {};
  const filePath = (event.file as { path?: unknown } | undefined)?.path;
  if (typeof filePath === 'string' && !filePath.isWellFormed())
    bytes.file_path_bytes = encodeUtf8Escaped(filePath).toString('hex');
  const renamedFrom = event.ftpsctl.renamed_from;
  if (typeof renamedFrom === 'string' && !renamedFrom.isWellFormed())
    bytes.renamed_from_bytes = encodeUtf8Escaped(renamedFrom).toString('hex');
  const fixed = fix(event) as AuditEvent;
  return { ...fixed, ftpsctl: { ...fixed.ftpsctl, ...bytes } };
}

async function endsMidLine(handle: AuditFileHandle): Promise<boolean> {
  const info = await handle.stat();
  if (!info.isFile() || info.size === 0) return false;
  const last = Buffer.alloc(1);
  const { bytesRead } = await handle.read(last, 0, 1, info.size - 1);
  return bytesRead === 1 && last[0] !== 0x0a;
}

/** `dev:ino`, when the stat has them (a real file); undefined for a handle that does not tell. */
function identityOf(info: { dev?: number; ino?: number }): string | undefined {
  return typeof info.dev === 'number' && typeof info.ino === 'number' ? `${info.dev}:${info.ino}` : undefined;
}

/**
 * Makes `log.handle` the file its path names now (see the module comment): unchanged when the
 * path still names the open file; else the path is opened again and the old handle closed.
 */
async function followPath(log: OpenLog): Promise<number | undefined> {
  if (log.identity === undefined) return undefined;
  const now = await stat(log.file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  // One stat says both: the path still names this file, and how long it is.
  if (now && identityOf(now) === log.identity) return now.size;
  const handle = await log.open(log.file);
  await log.handle.close().catch(() => undefined);
  log.handle = handle;
  const opened = await handle.stat();
  log.identity = identityOf(opened);
  log.endsAt = undefined;
  return opened.size;
}

async function writeLine(log: OpenLog, line: Buffer): Promise<void> {
  if (log.failure) throw log.failure;
  let bytes = line;
  let written = 0;
  try {
    const size = await followPath(log);
    // Another writer's line may have been cut since the last event: close it first. The file ends
    // where this log's last line did: nobody wrote since, and that line ended in "\n" (one stat, no read).
    log.torn = size !== undefined && size === log.endsAt ? false : await endsMidLine(log.handle);
    if (log.torn) bytes = Buffer.concat([Buffer.from('\n'), line]);
    while (written < bytes.length) {
      const { bytesWritten } = await log.handle.write(bytes, written, bytes.length - written);
      if (!(bytesWritten > 0)) throw Object.assign(new Error('the write made no progress'), { code: 'ENOSPC' });
      written += bytesWritten;
    }
    log.torn = false;
    // Where the file ends now, unless another writer appended meanwhile (then the next check reads).
    log.endsAt = size === undefined ? undefined : size + written;
  } catch (error) {
    const torn =
      written > 0
        ? `; the last line is cut after ${written} of ${bytes.length} bytes and is closed by the next session that writes this log`
        : '';
    log.torn = log.torn || written > 0;
    // What is at the path now is not a log (a folder, a FIFO): openForAppend's own words.
    if (error instanceof FtpsctlError) throw (log.failure = error);
    log.failure = new FtpsctlError(
      'FTPSCTL_ERR_AUDIT_LOG',
      `cannot write the audit log ${log.file}: ${errnoInWords(error)}${torn}; the session was stopped because it must be audited: free space or fix the log, then run it again`,
      { cause: error },
    );
    throw log.failure;
  }
}
