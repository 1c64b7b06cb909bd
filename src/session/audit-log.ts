/**
 * Append-only JSON-lines audit log. Each event is one `write()` of one whole line to a file
 * opened with O_APPEND, so lines from parallel sessions (even other processes) never
 * interleave; writes from one process are also queued in order.
 */
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FtpsctlError } from '../errors';
import type { AuditEvent } from './audit-events';

export class AuditLog {
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly files: string[],
    private readonly handles: FileHandle[],
  ) {}

  /** Opens every named log (deduplicated); a log that can't be opened ends the command before any connection. */
  static async open(files: readonly string[]): Promise<AuditLog> {
    const unique = [...new Set(files.map((f) => path.resolve(f)))];
    const handles: FileHandle[] = [];
    for (const file of unique) {
      try {
        await mkdir(path.dirname(file), { recursive: true });
        handles.push(await open(file, 'a', 0o600));
      } catch (error) {
        await Promise.all(handles.map((h) => h.close()));
        throw new FtpsctlError('FTPSCTL_ERR_USAGE', `cannot open the audit log ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); a session that must be audited does not start without it`, { cause: error });
      }
    }
    return new AuditLog(unique, handles);
  }

  write(event: AuditEvent): Promise<void> {
    const line = Buffer.from(`${JSON.stringify(event)}\n`, 'utf8');
    this.queue = this.queue.then(async () => {
      for (const handle of this.handles) await handle.write(line);
    });
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await Promise.all(this.handles.map((h) => h.close()));
  }
}
