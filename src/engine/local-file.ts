/**
 * The local end of a transfer: opening the file (before anything is sent, so a local problem
 * is reported as such) and telling a failure of the local file (ENOSPC, EIO...) from the
 * server's. Every local failure is FTPSCTL_ERR_LOCAL_FILE naming the file and the errno.
 */
import { constants as fsConstants, createReadStream, createWriteStream, fstatSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import type { Duplex, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errnoInWords, SessionError } from '../errors';

/** FTPSCTL_ERR_LOCAL_FILE naming the local file, what was being done and the errno in words. */
export function localFileError(error: unknown, file: string, what: 'read' | 'write'): SessionError {
  return new SessionError('FTPSCTL_ERR_LOCAL_FILE', `cannot ${what} the local file ${file}: ${errnoInWords(error)}`, {
    cause: error,
  });
}

/** Opened before anything is sent, so a local problem is reported as such and nothing leaks. */
async function opened<T extends Readable | Writable>(stream: T, file: string, what: 'read' | 'write'): Promise<T> {
  try {
    await once(stream, 'open');
    return stream;
  } catch (error) {
    stream.destroy();
    throw localFileError(error, file, what);
  }
}

export interface LocalFileWatch {
  /** pipeline(...streams), with a failure of the local file reported as FTPSCTL_ERR_LOCAL_FILE. */
  run: (...streams: [Readable | Duplex, Transform, Writable | Duplex]) => Promise<void>;
}

/**
 * Remembers an error of the local file's stream, so a transfer that failed because of it
 * (ENOSPC, EIO...) is reported as a local-file failure, not as the server's.
 */
export function watchLocalFile(stream: Readable | Writable, file: string, what: 'read' | 'write'): LocalFileWatch {
  // pipeline() destroys every stream with the first error, so each emits it: the stream that
  // emitted first is where it came from.
  let first: { local: boolean; error: unknown } | undefined;
  stream.on('error', (error) => (first ??= { local: true, error }));
  return {
    run: (...streams) => {
      for (const peer of streams) peer.on('error', (error: unknown) => (first ??= { local: false, error }));
      return pipeline(streams[0], ...(streams.slice(1) as [Transform, Writable])).catch((error: unknown) => {
        if (first?.local) throw localFileError(first.error, file, what);
        throw error;
      });
    },
  };
}

/**
 * Opens `path` for writing at `offset` (0: created or truncated; > 0: continued). O_NOFOLLOW:
 * a symbolic link put in the file's place is refused (ELOOP), never written through.
 */
export function openLocalWrite(path: string, offset: number): Promise<Writable> {
  const flags =
    (offset > 0 ? fsConstants.O_RDWR : fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC) |
    (fsConstants.O_NOFOLLOW ?? 0); // undefined on Windows
  // fs.open takes numeric flags; @types/node types StreamOptions.flags as string only.
  return opened(
    createWriteStream(path, { flags: flags as unknown as string, start: offset, highWaterMark: 4 * 1024 * 1024 }),
    path,
    'write',
  );
}

/** Bytes left to read from an opened local file (fstat: no extra trip to the thread pool), or undefined. */
export function openedFileBytes(stream: Readable, offset: number): number | undefined {
  const fd = (stream as Readable & { fd?: number | null }).fd;
  try {
    return typeof fd === 'number' ? fstatSync(fd).size - offset : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens `path` for reading from `offset`. A ReadStream allocates highWaterMark bytes for every
 * read, the last (EOF) one included: with 1 MiB for a 4 KiB file that was 2 MiB of garbage per
 * file and ~12% of a 200-file upload mirror's CPU in GC. Small files get a buffer just over
 * their size (one read, then EOF).
 */
export async function openLocalRead(path: string, offset: number): Promise<Readable> {
  const size = await stat(path).then(
    (info) => info.size,
    () => undefined,
  );
  const chunk = size === undefined ? 1024 * 1024 : Math.min(1024 * 1024, Math.max(16 * 1024, size - offset + 1));
  return opened(createReadStream(path, { start: offset, highWaterMark: chunk }), path, 'read');
}
