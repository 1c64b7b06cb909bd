/**
 * SHA-256 (FIPS 180-4) of a byte stream, computed on a worker thread so that hashing overlaps
 * with the main thread's TLS and file I/O instead of adding to it. The bytes reach the worker
 * through a SharedArrayBuffer ring of `slotCount` slots of `slotBytes` each: the main thread
 * copies each chunk into the current slot (a memcpy, ~0.1 s/GiB) and posts one small message
 * per full slot, never one per 16 KiB TLS record (a postMessage per record cost more than the
 * hashing saved). When every slot is still being hashed, `update` returns a promise that
 * settles when one is free: memory stays at slotCount × slotBytes whatever the file size.
 *
 * Use it for big transfers only: starting a worker costs ~20-40 ms of CPU.
 */
import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
const ring = workerData.ring;
const slotBytes = workerData.slotBytes;
parentPort.on('message', (message) => {
  if (message.slot < 0) {
    parentPort.postMessage({ digest: hash.digest('hex') });
    return;
  }
  hash.update(new Uint8Array(ring, message.slot * slotBytes, message.length));
  parentPort.postMessage({ done: message.slot });
});
`;

export interface OffThreadSha256Options {
  /** Slots in the ring; default 4. */
  slotCount?: number;
  /** Bytes per slot; default 1 MiB. */
  slotBytes?: number;
}

export class OffThreadSha256 {
  private readonly worker: Worker;
  private readonly ring: SharedArrayBuffer;
  private readonly view: Buffer;
  private readonly slotBytes: number;
  private readonly free: number[] = [];
  private current = -1;
  private filled = 0;
  private waitingForSlot?: { resolve: () => void; reject: (error: Error) => void };
  private waitingForDigest?: { resolve: (hex: string) => void; reject: (error: Error) => void };
  private failure?: Error;
  private finished = false;

  constructor(options: OffThreadSha256Options = {}) {
    const slotCount = options.slotCount ?? 4;
    this.slotBytes = options.slotBytes ?? 1024 * 1024;
    this.ring = new SharedArrayBuffer(slotCount * this.slotBytes);
    this.view = Buffer.from(this.ring);
    for (let slot = 0; slot < slotCount; slot++) this.free.push(slot);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ring: this.ring, slotBytes: this.slotBytes } });
    this.worker.on('message', (message: { done?: number; digest?: string }) => {
      if (message.done !== undefined) {
        this.free.push(message.done);
        const waiting = this.waitingForSlot;
        this.waitingForSlot = undefined;
        waiting?.resolve();
      } else if (message.digest !== undefined) {
        this.waitingForDigest?.resolve(message.digest);
        this.waitingForDigest = undefined;
      }
    });
    this.worker.on('error', (error: Error) => this.fail(error));
    this.worker.on('exit', (code) => {
      if (!this.finished) this.fail(new Error(`the SHA-256 worker stopped early (exit code ${code})`));
    });
  }

  /**
   * Adds `chunk`. Returns undefined when it was taken at once, or a promise that settles when
   * the ring had room for all of it (the caller must wait before the next update).
   */
  update(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    let offset = 0;
    while (offset < chunk.length) {
      if (this.current < 0) {
        const slot = this.free.shift();
        if (slot === undefined) return this.waitForSlot().then(() => this.update(chunk.subarray(offset)));
        this.current = slot;
        this.filled = 0;
      }
      const take = Math.min(this.slotBytes - this.filled, chunk.length - offset);
      this.view.set(chunk.subarray(offset, offset + take), this.current * this.slotBytes + this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.slotBytes) this.dispatch();
    }
    return undefined;
  }

  /** The hex digest of everything added; ends the worker. */
  async digest(): Promise<string> {
    if (this.failure) throw this.failure;
    if (this.current >= 0 && this.filled > 0) this.dispatch();
    const hex = await new Promise<string>((resolve, reject) => {
      this.waitingForDigest = { resolve, reject };
      this.worker.postMessage({ slot: -1, length: 0 });
    });
    this.finished = true;
    await this.worker.terminate();
    return hex;
  }

  /** Stops the worker without a digest (a failed transfer). */
  async abort(): Promise<void> {
    this.finished = true;
    await this.worker.terminate();
  }

  private dispatch(): void {
    this.worker.postMessage({ slot: this.current, length: this.filled });
    this.current = -1;
    this.filled = 0;
  }

  private waitForSlot(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waitingForSlot = { resolve, reject };
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.waitingForSlot?.reject(error);
    this.waitingForDigest?.reject(error);
    this.waitingForSlot = undefined;
    this.waitingForDigest = undefined;
  }
}
