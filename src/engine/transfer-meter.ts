/**
 * A pass-through stream on every transfer: counts bytes for progress, and computes the
 * SHA-256 when asked (audit events and hash verification need it). Backpressure passes
 * through untouched, so memory stays flat whatever the file size.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export type ProgressListener = (bytes: number) => void;

export class TransferMeter extends Transform {
  bytes = 0;
  private readonly hash?: Hash;

  constructor(options: { sha256: boolean; onProgress?: ProgressListener }) {
    super({ highWaterMark: 1024 * 1024 });
    if (options.sha256) this.hash = createHash('sha256');
    this.onProgress = options.onProgress;
  }

  private readonly onProgress?: ProgressListener;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash?.update(chunk);
    this.onProgress?.(this.bytes);
    callback(null, chunk);
  }

  /** Hex SHA-256 of everything that passed, once the stream has ended. */
  digest(): string | undefined {
    return this.hash?.digest('hex');
  }
}
