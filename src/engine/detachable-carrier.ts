/**
 * A Duplex over a TCP socket (or a proxy tunnel) that TLS can run on and later let go of; its
 * end and destroy never reach the socket underneath. Two uses:
 * - CCC (RFC 4217 §12.3) ends TLS on the control connection but keeps the TCP connection:
 *   Node's TLS, given a plain net.Socket, takes over its handle for good, so the TLS layer runs
 *   on this carrier and `release()` hands the socket back.
 * - A PROT P upload through a proxy: close_notify ends the upload (RFC 4217 §9), but Node's TLS
 *   follows it with a FIN at once, and squid (5.7) tears the tunnel down on the client's FIN,
 *   dropping what it has not yet written to the server (measured: vsftpd answered `426 Failure
 *   reading network stream` after 98–213 KiB of 512 KiB). On this carrier the FIN waits until
 *   the caller destroys the tunnel, after the server's final reply.
 */
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

export class DetachableCarrier<Carried extends Duplex = Socket> extends Duplex {
  private attached = true;
  private readonly onData = (chunk: Buffer): void => {
    if (!this.push(chunk)) this.tcp.pause();
  };
  private readonly onEnd = (): void => {
    this.push(null);
  };
  private readonly onError = (error: Error): void => {
    this.destroy(error);
  };
  // A socket destroyed without an error emits only 'close': the TLS layer on top must hear it,
  // or a handshake still waiting (a refused STOR through a proxy) keeps its timer to the end.
  private readonly onClose = (): void => {
    this.destroy();
  };

  constructor(readonly tcp: Carried) {
    super();
    tcp.on('data', this.onData);
    tcp.on('end', this.onEnd);
    tcp.on('error', this.onError);
    tcp.on('close', this.onClose);
  }

  override _read(): void {
    if (this.attached) this.tcp.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.attached) return callback(new Error('carrier released'));
    this.tcp.write(chunk, callback);
  }

  /** TLS shutdown (close_notify) must not end the TCP connection. */
  override _final(callback: (error?: Error | null) => void): void {
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.release();
    callback(error);
  }

  /** Stops carrying: the TCP socket's events are the caller's again. */
  release(): Carried {
    if (this.attached) {
      this.attached = false;
      this.tcp.off('data', this.onData);
      this.tcp.off('end', this.onEnd);
      this.tcp.off('error', this.onError);
      this.tcp.off('close', this.onClose);
      this.tcp.pause();
    }
    return this.tcp;
  }
}
