/**
 * The file leg of an upload: positioned reads of the local file into a few reused buffers of
 * up to BUFFER_BYTES, each written to the data socket as it is (TLS cuts it into records)
 * and hashed, instead of a ReadStream (a new 1 MiB Buffer per read, garbage for the GC) and
 * a Transform. Each buffer is hashed on the main thread as it is read (file-receiver.ts
 * says why not on a worker). One read is outstanding at a time; a buffer is read into again
 * only when the socket has taken it (its write callback): memory stays at BUFFER_COUNT
 * buffers whatever the file size, and a slow server holds the reads back.
 *
 * A failed read is FTPSCTL_ERR_LOCAL_FILE naming the file and the errno; a failure of the
 * socket is passed on as it is.
 */
import type { Hash } from 'node:crypto';
import { read } from 'node:fs';
import { finished, type Writable } from 'node:stream';
import { SessionError } from '../errors';
import { localFileError } from './local-file';
import type { ProgressListener } from './transfer-meter';
import { reportProgress } from './report-progress';

/** Bytes per read and per socket write. */
export const BUFFER_BYTES = 1024 * 1024;
/** Buffers in use at most: one being read while others are with the socket or the hash. */
const BUFFER_COUNT = 4;

export interface SendOptions {
  /** An open descriptor of the local file (the caller opens and closes it). */
  fd: number;
  /** Where reading starts (the resume offset). */
  position: number;
  /** Bytes expected from `position` to the end (fstat), to size the buffers of small files; reading goes on to EOF. */
  expectedBytes?: number;
  /** The local file's name, for errors. */
  file: string;
  onProgress?: ProgressListener;
  /** Updated with every byte read (node:crypto createHash('sha256')); the caller takes the digest. */
  hash?: Hash;
}

/**
 * Sends the file from `position` to its end over `socket`, then ends it; resolves with the
 * bytes sent once the socket has finished. Rejects with FTPSCTL_ERR_LOCAL_FILE, the socket's
 * error, or FTPSCTL_ERR_TRANSFER when the socket was ended before the file was.
 */
export function sendFromFile(socket: Writable, options: SendOptions): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const { fd, file, onProgress, hash } = options;
    // Small files: one buffer just over their size (one read, then the EOF read).
    const expected = options.expectedBytes;
    const bufferBytes =
      expected === undefined ? BUFFER_BYTES : Math.min(BUFFER_BYTES, Math.max(16 * 1024, expected + 1));
    const bufferCount = expected !== undefined && expected < bufferBytes ? 2 : BUFFER_COUNT;
    const free: Buffer[] = [];
    let allocated = 0;
    let position = options.position;
    let sent = 0;
    let reading = false;
    let eof = false;
    let socketFinished = false;
    let failure: unknown;
    let settled = false;

    const settle = (): void => {
      if (settled || reading) return;
      if (failure === undefined && !socketFinished) return;
      settled = true;
      if (failure !== undefined) reject(failure);
      else resolve(sent);
    };

    const fail = (error: unknown): void => {
      failure ??= error;
      settle();
    };

    const pump = (): void => {
      if (reading || eof || failure !== undefined) return;
      let buffer = free.pop();
      if (!buffer && allocated < bufferCount) {
        buffer = Buffer.allocUnsafeSlow(bufferBytes);
        allocated += 1;
      }
      if (!buffer) return; // every buffer is with the socket: its write callback pumps again
      reading = true;
      const into = buffer;
      read(fd, into, 0, into.length, position, (error, bytes) => {
        reading = false;
        if (error) return fail(localFileError(error, file, 'read'));
        if (failure !== undefined) return settle();
        if (bytes === 0) {
          eof = true;
          free.push(into);
          socket.end();
          return settle();
        }
        position += bytes;
        sent += bytes;
        if (onProgress && !reportProgress(onProgress, sent, fail)) {
          free.push(into);
          return;
        }
        const chunk = bytes === into.length ? into : into.subarray(0, bytes);
        hash?.update(chunk);
        // The buffer is read into again once the socket has taken it (TLS has encrypted it).
        socket.write(chunk, (writeError) => {
          if (writeError) return fail(writeError);
          free.push(into);
          pump();
        });
        pump();
      });
    };

    finished(socket, { readable: false }, (error) => {
      if (error) return fail(error);
      // Ended by the other side (a peer's FIN ends a socket that does not allow half-open) before EOF.
      if (!eof)
        return fail(
          new SessionError(
            'FTPSCTL_ERR_TRANSFER',
            `the data connection was closed after ${sent} bytes, before the end of the local file ${file}`,
          ),
        );
      socketFinished = true;
      settle();
    });
    pump();
  });
}
