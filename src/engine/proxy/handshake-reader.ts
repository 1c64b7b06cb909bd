/**
 * Reads a proxy's handshake replies off a socket: exact byte counts (SOCKS5) or up to a
 * delimiter (HTTP headers), with a timeout and a size limit. Bytes that arrive after the
 * handshake belong to the tunnel and are handed back with `release()`.
 */
import type { Duplex } from 'node:stream';
import { SessionError } from '../../errors';

export class HandshakeReader {
  private buffer = Buffer.alloc(0);
  private ended = false;
  private failure?: Error;
  private wake?: () => void;
  private readonly onData = (chunk: Buffer): void => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.wake?.();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake?.();
  };
  private readonly onError = (error: Error): void => {
    this.failure = error;
    this.wake?.();
  };

  constructor(
    private readonly socket: Duplex,
    private readonly proxy: string,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  async exactly(count: number, what: string): Promise<Buffer> {
    await this.until(() => this.buffer.length >= count, what);
    const out = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return out;
  }

  /** Everything up to and including `delimiter`, at most `limit` bytes. */
  async through(delimiter: string, limit: number, what: string): Promise<Buffer> {
    await this.until(() => this.buffer.includes(delimiter) || this.buffer.length > limit, what);
    const end = this.buffer.indexOf(delimiter);
    if (end < 0)
      throw new SessionError(
        'FTPSCTL_ERR_PROTOCOL',
        `the proxy ${this.proxy} sent more than ${limit} bytes of ${what}`,
      );
    const out = this.buffer.subarray(0, end + delimiter.length);
    this.buffer = this.buffer.subarray(end + delimiter.length);
    return out;
  }

  /** Stops reading; returns the socket with any early tunnel bytes put back. */
  release(): Duplex {
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.pause();
    if (this.buffer.length > 0) this.socket.unshift(this.buffer);
    return this.socket;
  }

  private async until(ready: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    while (!ready()) {
      if (this.failure)
        throw new SessionError(
          'FTPSCTL_ERR_CONNECT',
          `the connection to the proxy ${this.proxy} failed while waiting for ${what}: ${(this.failure as NodeJS.ErrnoException).code ?? this.failure.message}`,
          { cause: this.failure },
        );
      if (this.ended)
        throw new SessionError(
          'FTPSCTL_ERR_CONNECT',
          `the proxy ${this.proxy} closed the connection while ftpsctl waited for ${what}`,
        );
      const left = deadline - Date.now();
      if (left <= 0)
        throw new SessionError(
          'FTPSCTL_ERR_TIMEOUT',
          `the proxy ${this.proxy} sent no ${what} within ${this.timeoutMs} ms`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
