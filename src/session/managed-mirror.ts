/** A mirror run inside a managed session: plan on the first connection, workers as more managed connections. */
import type { FtpsSession, TransferResult } from '../engine/ftps-session';
import { isFtpsctlError } from '../errors';
import type { EffectiveProfile } from '../settings/generated/effective-profile';
import type { FailedTransfer } from './audit-events';
import { planDownload, planUpload, runMirror, type MirrorItem, type MirrorReport, type MirrorWorker } from './mirror';

export interface ManagedMirrorOptions {
  /** `download` (remote -> local, the default) or `upload` (local -> remote, `mirror --reverse`). */
  direction?: 'download' | 'upload';
  remote: string;
  local: string;
  /** Continue interrupted downloads from their part files; refused where transfer.resume is off. */
  resume?: boolean;
  /** Called when a file starts; the returned function gets the bytes moved so far. */
  onFileStart?: (item: MirrorItem) => (bytes: number) => void;
  onFileDone?: (item: MirrorItem) => void;
}

/** One connection of the session, as the mirror needs it: the engine and the audit recorders. */
export interface MirrorConnection {
  engine: FtpsSession;
  record(result: TransferResult): Promise<void>;
  recordFailure(failure: Omit<FailedTransfer, 'error'> & { error: unknown }): Promise<void>;
  end(error?: unknown): Promise<void>;
}

export interface ManagedMirrorParts extends Omit<MirrorConnection, 'end'> {
  settings: EffectiveProfile;
  /** The first connection's session.end must say failure when a worker's file failed. */
  noteFailure(code: string): void;
  /** MKD on the first connection, recorded as a directory.create event. */
  makeFolder(path: string): Promise<void>;
  openWorker(): Promise<MirrorConnection>;
  /** True once the session was closed: the mirror starts no more files. */
  stopped?: () => boolean;
}

/** Plans on the first connection, then runs the mirror over transfer.parallel connections. */
export async function runManagedMirror(
  parts: ManagedMirrorParts,
  options: ManagedMirrorOptions & { resume: boolean },
): Promise<MirrorReport> {
  const direction = options.direction ?? 'download';
  const plan =
    direction === 'upload'
      ? await planUpload(parts.engine, options.local, options.remote)
      : await planDownload(parts.engine, options.remote, options.local);
  const failureOf = (item: MirrorItem, error: unknown, durationMs?: number, listingLine?: string) => ({
    direction,
    remotePath: item.remote,
    error,
    ...(durationMs !== undefined ? { durationMs } : {}),
    ...(listingLine !== undefined ? { listingLine } : {}),
  });
  const first: MirrorWorker = {
    session: parts.engine,
    record: (result) => parts.record(result),
    recordFailure: ({ item, error, durationMs, listingLine }) =>
      parts.recordFailure(failureOf(item, error, durationMs, listingLine)),
    end: async () => undefined,
  };
  return runMirror(plan, first, {
    parallel: parts.settings.transfer.parallel,
    resume: options.resume,
    makeFolder: (path) => parts.makeFolder(path),
    openWorker: async () => {
      const worker = await parts.openWorker();
      return {
        session: worker.engine,
        record: (result) => worker.record(result),
        recordFailure: async ({ item, error, durationMs }) => {
          // The worker's own log gets the event; the mirror's session.end must say failure too.
          await worker.recordFailure(failureOf(item, error, durationMs));
          parts.noteFailure(isFtpsctlError(error) ? error.code : 'FTPSCTL_ERR_INTERNAL');
        },
        end: (error) => worker.end(error),
      };
    },
    ...(options.onFileStart ? { onFileStart: options.onFileStart } : {}),
    ...(options.onFileDone ? { onFileDone: options.onFileDone } : {}),
    ...(parts.stopped ? { stopped: parts.stopped } : {}),
  });
}
