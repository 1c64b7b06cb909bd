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
 *  - a line torn by an earlier crash or full disk (the file does not end in "\n") is closed
 *    with a "\n" before the first new event, so one bad line never swallows the next event.
 */
import { mkdir, open as openFile } from 'node:fs/promises';
import path from 'node:path';
import { FtpsctlError } from '../errors';
import type { AuditEvent } from './audit-events';
import { redactSecrets } from '../text/secret-redaction';

/** The part of a FileHandle the log uses (injectable, so tests can simulate a full disk). */
export interface AuditFileHandle {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number; isFile(): boolean }>;
  close(): Promise<void>;
}

export interface AuditLogOptions {
  /** Opens one log for appending (default: fs.promises.open(file, 'a+', 0o600)). */
  openFile?: (file: string) => Promise<AuditFileHandle>;
}

/** Opens for append and read (read: the last byte, to close a torn line). */
async function openForAppend(file: string): Promise<AuditFileHandle> {
  await mkdir(path.dirname(file), { recursive: true });
  return openFile(file, 'a+', 0o600);
}

interface OpenLog {
  file: string;
  handle: AuditFileHandle;
  /** The file ended mid-line: write "\n" before the next event. */
  torn: boolean;
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
        logs.push({ file, handle, torn: await endsMidLine(handle) });
      } catch (error) {
        await Promise.all([...logs.map((l) => l.handle.close()), ...(handle ? [handle.close()] : [])].map((p) => p.catch(() => undefined)));
        throw new FtpsctlError('FTPSCTL_ERR_AUDIT_LOG', `cannot open the audit log ${file} (${describeErrno(error)}); a session that must be audited does not start without it`, { cause: error });
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
    const line = Buffer.from(`${redactSecrets(JSON.stringify(event))}\n`, 'utf8');
    const next = this.queue.then(async () => {
      for (const log of this.logs) await writeLine(log, line);
    });
    // A failed write must not stop later writes from reporting their own (same) failure.
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    await Promise.all(this.logs.map((l) => l.handle.close().catch(() => undefined)));
  }
}

async function endsMidLine(handle: AuditFileHandle): Promise<boolean> {
  const info = await handle.stat();
  if (!info.isFile() || info.size === 0) return false;
  const last = Buffer.alloc(1);
  const { bytesRead } = await handle.read(last, 0, 1, info.size - 1);
  return bytesRead === 1 && last[0] !== 0x0a;
}

async function writeLine(log: OpenLog, line: Buffer): Promise<void> {
  if (log.failure) throw log.failure;
  const bytes = log.torn ? Buffer.concat([Buffer.from('\n'), line]) : line;
  let written = 0;
  try {
    while (written < bytes.length) {
      const { bytesWritten } = await log.handle.write(bytes, written, bytes.length - written);
      if (!(bytesWritten > 0)) throw Object.assign(new Error('the write made no progress'), { code: 'ENOSPC' });
      written += bytesWritten;
    }
    log.torn = false;
  } catch (error) {
    const torn = written > 0 ? `; the last line is cut after ${written} of ${bytes.length} bytes and is closed by the next session that writes this log` : '';
    log.torn = log.torn || written > 0;
    log.failure = new FtpsctlError(
      'FTPSCTL_ERR_AUDIT_LOG',
      `cannot write the audit log ${log.file} (${describeErrno(error)})${torn}; the session was stopped because it must be audited: free space or fix the log, then run it again`,
      { cause: error },
    );
    throw log.failure;
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'ENOSPC: no space left on the device',
  EDQUOT: 'EDQUOT: disk quota exceeded',
  EFBIG: 'EFBIG: the file is too large',
  EIO: 'EIO: input/output error',
  EROFS: 'EROFS: read-only file system',
  EACCES: 'EACCES: permission denied',
  EPERM: 'EPERM: operation not permitted',
  EISDIR: 'EISDIR: it is a folder',
  ENOTDIR: 'ENOTDIR: a part of the path is not a folder',
  EEXIST: 'EEXIST: a part of the path is a file, not a folder',
  EBADF: 'EBADF: the file is not open for writing',
};

function describeErrno(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ? (ERRNO_TEXT[code] ?? code) : 'error';
}
