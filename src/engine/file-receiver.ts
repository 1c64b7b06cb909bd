/**
 * The file leg of a download: the data socket's chunks (one 16 KiB Buffer per TLS record)
 * are gathered into batches of BATCH_BYTES and written with one positioned writev per batch
 * on the file's own descriptor, instead of one libuv write per chunk through a WriteStream
 * and a Transform (a GiB was ~65,000 write hand-offs, ~0.6 CPU-s). At most one write is
 * outstanding: while it runs the next batch fills, and a full batch pauses the socket until
 * the write is done (backpressure: memory stays at two batches whatever the file size).
 *
 * Each chunk is counted (progress), checked against `limitBytes` (a download's announced
 * SIZE: the chunk that goes beyond it is cut at the limit and the transfer fails with
 * FTPSCTL_ERR_VERIFY, so nothing past the limit reaches the disk) and hashed as it arrives,
 * on the main thread while the record is still in the CPU's cache (measured on 1 GiB: a
 * worker thread, which needs a copy into shared memory and a message per MiB, cost
 * 0.2-0.5 CPU-s/GiB more in all). Bytes that arrived before a failure of the connection are written (a part file keeps them
 * for --resume). A failed write is FTPSCTL_ERR_LOCAL_FILE naming the file and the errno.
 */
import type { Hash } from 'node:crypto';
import { writev } from 'node:fs';
import { finished, type Readable } from 'node:stream';
import { SessionError } from '../errors';
import { localFileError } from './local-file';
import type { ProgressListener } from './transfer-meter';
import { reportProgress } from './report-progress';

/** Bytes gathered before one write: 1 MiB is 64 TLS records, one syscall. */
export const BATCH_BYTES = 1024 * 1024;
/** Chunks per write at most (small chunks from a plain TCP connection): stays under IOV_MAX (1024). */
const BATCH_CHUNKS = 512;

export interface ReceiveOptions {
  /** An open descriptor of the local file (the caller opens and closes it). */
  fd: number;
  /** Where the first byte goes in the file (the resume offset). */
  position: number;
  /** The local file's name, for errors. */
  file: string;
  /** Most bytes that may arrive (SIZE minus the offset). */
  limitBytes?: number;
  onProgress?: ProgressListener;
  /** Updated with every byte as it arrives (node:crypto createHash('sha256')); the caller takes the digest. */
  hash?: Hash;
}

/**
 * Reads `socket` to its end into the file; resolves with the bytes received, all of them
 * written. Rejects with the socket's error (after writing what arrived before it),
 * FTPSCTL_ERR_VERIFY beyond `limitBytes`, or FTPSCTL_ERR_LOCAL_FILE.
 */
export function receiveToFile(socket: Readable, options: ReceiveOptions): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const { fd, file, limitBytes, onProgress, hash } = options;
    let position = options.position;
    let received = 0;
    let batch: Buffer[] = [];
    let batchBytes = 0;
    let writing = false;
    let ended = false;
    /** The first failure; the transfer settles with it once no write is outstanding. */
    let failure: unknown;
    let settled = false;

    const settle = (): void => {
      if (settled || writing) return;
      if (failure === undefined && !ended) return;
      if (failure === undefined && batchBytes > 0) return startWrite();
      if (failure !== undefined && batchBytes > 0 && !(failure instanceof LocalWriteFailure)) return startWrite();
      settled = true;
      socket.off('data', onData);
      if (failure !== undefined)
        reject(failure instanceof LocalWriteFailure ? localFileError(failure.error, file, 'write') : failure);
      else resolve(received);
    };

    const fail = (error: unknown): void => {
      failure ??= error;
      socket.pause();
      settle();
    };

    const resumeWhenFree = (): void => {
      if (failure !== undefined || ended) return settle();
      if (!writing && batchBytes >= BATCH_BYTES) startWrite();
      if (batchBytes < BATCH_BYTES) socket.resume();
    };

    const startWrite = (): void => {
      const buffers = batch;
      const bytes = batchBytes;
      batch = [];
      batchBytes = 0;
      writing = true;
      writeAll(fd, buffers, bytes, position, (error) => {
        writing = false;
        if (error) {
          batch = [];
          batchBytes = 0;
          failure ??= new LocalWriteFailure(error); // the first failure is the cause: a server's abort stays one
          socket.pause();
          return settle();
        }
        position += bytes;
        resumeWhenFree();
      });
    };

    const take = (chunk: Buffer): void => {
      received += chunk.length;
      if (onProgress && !reportProgress(onProgress, received, fail)) return;
      batch.push(chunk);
      batchBytes += chunk.length;
      hash?.update(chunk);
      if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_CHUNKS) {
        if (writing) socket.pause();
        else startWrite();
      }
    };

    const onData = (chunk: Buffer): void => {
      if (failure !== undefined || settled) return;
      if (limitBytes !== undefined && received + chunk.length > limitBytes) {
        const allowed = limitBytes - received;
        if (allowed > 0) take(chunk.subarray(0, allowed));
        fail(
          new SessionError(
            'FTPSCTL_ERR_VERIFY',
            `the server sent more than the ${limitBytes} bytes it announced; ftpsctl stopped at the first byte beyond them`,
          ),
        );
        return;
      }
      take(chunk);
    };

    socket.on('data', onData);
    finished(socket, { writable: false }, (error) => {
      if (error) return fail(error);
      ended = true;
      settle();
    });
  });
}

/** A failed write of the local file (kept apart from the connection's errors). */
class LocalWriteFailure {
  constructor(readonly error: unknown) {}
}

/** writev until every byte is written (a regular file may take fewer bytes than asked, then fail with the errno). */
function writeAll(
  fd: number,
  buffers: Buffer[],
  bytes: number,
  position: number,
  done: (error: NodeJS.ErrnoException | null) => void,
): void {
  writev(fd, buffers, position, (error, written) => {
    if (error) return done(error);
    if (written >= bytes) return done(null);
    if (written === 0) return done(Object.assign(new Error('the write took no bytes'), { code: 'EIO' }));
    let skip = written;
    const rest: Buffer[] = [];
    for (const buffer of buffers) {
      if (skip >= buffer.length) {
        skip -= buffer.length;
        continue;
      }
      rest.push(skip > 0 ? buffer.subarray(skip) : buffer);
      skip = 0;
    }
    writeAll(fd, rest, bytes - written, position + written, done);
  });
}
