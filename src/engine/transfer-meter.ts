/**
 * A pass-through stream on transfers to or from a caller's stream (local files go through
 * file-receiver.ts and file-sender.ts): counts bytes for progress, and computes the SHA-256
 * when asked (audit events and hash verification need it). Backpressure passes through
 * untouched, so memory stays flat whatever the file size.
 *
 * For big transfers (`expectedBytes` ≥ OFF_THREAD_MIN_BYTES) the SHA-256 runs on a worker
 * thread (off-thread-sha256.ts) and overlaps with the TLS work of the main thread; the digest
 * is ready when the stream has ended (it is awaited in `_flush`).
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { SessionError } from '../errors';
import { reportProgress, type ProgressListener } from './report-progress';
import { OffThreadSha256 } from './off-thread-sha256';

export type { ProgressListener } from './report-progress';

/** Below this a worker's start-up (~20-40 ms CPU) costs more than hashing inline saves. */
export const OFF_THREAD_MIN_BYTES = 64 * 1024 * 1024;

export interface TransferMeterOptions {
  sha256: boolean;
  onProgress?: ProgressListener;
  /** Bytes the transfer is expected to move, when known: big ones hash off the main thread. */
  expectedBytes?: number;
  /** Overrides the choice made from expectedBytes (tests). */
  offThread?: boolean;
  /**
   * Most bytes that may pass (a download's announced SIZE): the chunk that goes beyond it is
   * cut at the limit and the stream fails with FTPSCTL_ERR_VERIFY, so nothing past the first
   * excess byte reaches the disk.
   */
  limitBytes?: number;
}

export class TransferMeter extends Transform {
  bytes = 0;
  private readonly hash?: Hash;
  /** Hash off the main thread; the worker starts with the first byte (a refused command never starts one). */
  private readonly hashOffThread: boolean = false;
  private offThread?: OffThreadSha256;
  private offThreadDigest?: string;
  private readonly onProgress?: ProgressListener;
  private readonly limitBytes?: number;

  constructor(options: TransferMeterOptions) {
    super({ highWaterMark: 1024 * 1024 });
    if (options.limitBytes !== undefined) this.limitBytes = options.limitBytes;
    if (options.sha256) {
      this.hashOffThread =
        options.offThread ?? (options.expectedBytes !== undefined && options.expectedBytes >= OFF_THREAD_MIN_BYTES);
      if (!this.hashOffThread) this.hash = createHash('sha256');
    }
    this.onProgress = options.onProgress;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.limitBytes !== undefined && this.bytes + chunk.length > this.limitBytes) {
      const allowed = this.limitBytes - this.bytes;
      if (allowed > 0) this.push(chunk.subarray(0, allowed));
      this.bytes += Math.max(0, allowed);
      callback(
        new SessionError(
          'FTPSCTL_ERR_VERIFY',
          `the server sent more than the ${this.limitBytes} bytes it announced; ftpsctl stopped at the first byte beyond them`,
        ),
      );
      return;
    }
    this.bytes += chunk.length;
    // Later (an async listener's rejection): this chunk's callback has run, so the stream is destroyed instead.
    if (this.onProgress && !reportProgress(this.onProgress, this.bytes, callback, (error) => this.destroy(error)))
      return;
    if (this.hashOffThread) {
      this.offThread ??= new OffThreadSha256();
      const wait = this.offThread.update(chunk);
      if (wait) {
        wait.then(
          () => callback(null, chunk),
          (error: Error) => callback(error),
        );
        return;
      }
    } else {
      this.hash?.update(chunk);
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (!this.hashOffThread) return callback();
    this.offThread ??= new OffThreadSha256(); // nothing passed: the digest of no bytes
    this.offThread.digest().then(
      (hex) => {
        this.offThreadDigest = hex;
        callback();
      },
      (error: Error) => callback(error),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.offThread && this.offThreadDigest === undefined) void this.offThread.abort().catch(() => undefined);
    callback(error);
  }

  /** Hex SHA-256 of everything that passed, once the stream has ended. */
  digest(): string | undefined {
    if (this.hashOffThread) return this.offThreadDigest;
    return this.hash?.digest('hex');
  }
}
