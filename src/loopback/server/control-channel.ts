/**
 * The control connection's sockets, and nothing about FTP commands: lines in, replies out,
 * TLS switched on (AUTH TLS, or at once for implicit FTPS) and off again (CCC).
 *
 * TLS runs over a small bridge stream rather than on the TCP socket itself, so that shutting
 * TLS down for CCC sends close_notify without ending the TCP connection.
 */
import type net from 'node:net';
import { Duplex } from 'node:stream';
import type tls from 'node:tls';
import { takeLine } from './command-line';
import { acceptTls, type ServerTls } from './server-tls';
import { TlsRecordBoundary } from './tls-record-boundary';

const MAX_LINE_BYTES = 8192;

export type ReceivedLine = { kind: 'line'; line: string } | { kind: 'too-long' };

export class ControlChannel {
  private received: Buffer = Buffer.alloc(0);
  private waiting: ((line: ReceivedLine | undefined) => void) | undefined;
  private bridge: Duplex | undefined;
  /** While TLS is on: where its records end, and the clear text received behind them (CCC). */
  private recordBoundary = new TlsRecordBoundary();
  private clearTextAfterTls: Buffer = Buffer.alloc(0);
  private tlsSocket: tls.TLSSocket | undefined;
  private closed = false;
  /** Settles when the client's close_notify arrives (or the TLS socket closes). */
  private peerEndedTls: Promise<void> | undefined;

  constructor(
    private readonly raw: net.Socket,
    private readonly serverTls: ServerTls,
  ) {
    raw.setNoDelay(true); // replies are small; don't let them meet delayed ACK
    raw.on('data', (chunk: Buffer) => this.onRawData(chunk));
    raw.on('end', () => (this.bridge ? this.bridge.push(null) : this.markClosed()));
    raw.on('close', () => this.markClosed());
    raw.on('error', () => this.markClosed());
  }

  get isSecure(): boolean {
    return this.tlsSocket !== undefined;
  }

  get remoteAddress(): string | undefined {
    return this.raw.remoteAddress;
  }

  get localAddress(): string | undefined {
    return this.raw.localAddress;
  }

  /** The next complete line, or undefined once the connection is gone. One reader at a time. */
  nextLine(): Promise<ReceivedLine | undefined> {
    const ready = this.scan();
    if (ready || this.closed) return Promise.resolve(ready);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  send(text: string): Promise<void> {
    const target = this.tlsSocket ?? this.raw;
    if (this.closed || target.destroyed) return Promise.resolve();
    return new Promise((resolve) => target.write(text, () => resolve()));
  }

  /** Server side of the handshake. Bytes already received after the AUTH line belong to it. */
  async startTls(timeoutMs: number): Promise<void> {
    const bridge = new Duplex({
      write: (chunk: Buffer, _encoding, callback) => this.raw.write(chunk, callback),
      read: () => undefined,
      final: (callback) => callback(), // TLS shutdown must not end the TCP connection (CCC)
    });
    this.bridge = bridge;
    this.recordBoundary = new TlsRecordBoundary();
    const early = this.received;
    this.received = Buffer.alloc(0);
    if (early.length > 0) this.onRawData(early);
    const socket = await acceptTls(bridge, this.serverTls, timeoutMs);
    this.tlsSocket = socket;
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    // The client's close_notify alone does not end the session: during CCC it may even arrive
    // before our 200 reply is out. The end of TCP does (raw 'close').
    this.peerEndedTls = new Promise((resolve) => {
      socket.once('end', resolve);
      socket.once('close', resolve);
    });
  }

  /** CCC (RFC 4217 12.3): send close_notify, wait (bounded) for the client's, carry on in clear on the same TCP connection. */
  async stopTls(timeoutMs: number): Promise<void> {
    const socket = this.tlsSocket;
    if (!socket) return;
    const ourCloseNotifySent = new Promise<void>((resolve) => socket.end(resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    });
    await Promise.race([Promise.all([ourCloseNotifySent, this.peerEndedTls]), timeout]);
    clearTimeout(timer);
    // From here on, bytes from the client are plain FTP again.
    this.tlsSocket = undefined;
    this.bridge = undefined;
    this.peerEndedTls = undefined;
    socket.destroy();
    const clear = this.clearTextAfterTls;
    this.clearTextAfterTls = Buffer.alloc(0);
    if (clear.length > 0) this.receive(clear);
  }

  /** After QUIT: close_notify (when in TLS) and FIN, then let the client close. */
  end(): void {
    if (this.tlsSocket) this.tlsSocket.end(() => this.raw.end());
    else this.raw.end();
    setTimeout(() => this.raw.destroy(), 2000).unref();
  }

  destroy(): void {
    this.tlsSocket?.destroy();
    this.raw.destroy();
    this.markClosed();
  }

  get peerCertificateSubject(): string | undefined {
    return this.tlsSocket?.getPeerX509Certificate()?.subject;
  }

  private onRawData(chunk: Buffer): void {
    if (!this.bridge) return this.receive(chunk);
    const { tls, clear } = this.recordBoundary.split(chunk);
    if (tls.length > 0) this.bridge.push(tls);
    if (clear.length > 0) this.clearTextAfterTls = Buffer.concat([this.clearTextAfterTls, clear]);
  }

  private receive(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    this.deliver();
  }

  private scan(): ReceivedLine | undefined {
    const scan = takeLine(this.received, MAX_LINE_BYTES);
    if (scan.kind === 'incomplete') return undefined;
    this.received = scan.rest;
    return scan.kind === 'line' ? { kind: 'line', line: scan.line } : { kind: 'too-long' };
  }

  private deliver(): void {
    if (!this.waiting) return;
    const line = this.scan();
    if (!line && !this.closed) return;
    const resolve = this.waiting;
    this.waiting = undefined;
    resolve(line);
  }

  private markClosed(): void {
    this.closed = true;
    // A handshake in progress over the bridge learns that TCP is gone (its timer ends with it).
    if (this.bridge && !this.bridge.destroyed) this.bridge.destroy();
    this.deliver();
  }
}
