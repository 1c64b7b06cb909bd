/**
 * A deliberately dumb FTP control client for the hostile server's tests: node:net and
 * node:tls only, no reply parser of the engine, every received chunk kept as it came.
 */

import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from 'node:tls';

const WAIT_MS = 5_000;

export class RawControlClient {
  /** Every chunk as one 'data' event delivered it, control bytes only. */
  readonly chunks: Buffer[] = [];
  private cursor = 0;
  private socket: Socket;
  private readonly listeners = new Set<() => void>();
  private ended = false;
  private readonly onData = (bytes: Buffer): void => {
    this.chunks.push(bytes);
    this.notify();
  };

  private constructor(socket: Socket) {
    this.socket = socket;
    this.watch(socket);
  }

  /** Connects in clear, or with TLS from the first byte when `implicitTls` is given. */
  static connect(port: number, implicitTls?: ConnectionOptions): Promise<RawControlClient> {
    return new Promise((resolve, reject) => {
      const socket = implicitTls
        ? connectTls({ host: '127.0.0.1', port, ...implicitTls })
        : connectTcp(port, '127.0.0.1');
      socket.once('error', reject);
      socket.once(implicitTls ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve(new RawControlClient(socket));
      });
    });
  }

  get tlsSocket(): TLSSocket | undefined {
    return 'encrypted' in this.socket ? (this.socket as TLSSocket) : undefined;
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Everything received so far, as text. */
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** Bytes received so far. */
  byteCount(): number {
    return this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  sendRaw(text: string): void {
    this.socket.write(text);
  }

  /** The next complete reply after the previous one (multi-line replies whole), with its line ends. */
  nextReply(timeoutMs = WAIT_MS): Promise<string> {
    return this.until(() => {
      const text = this.text();
      const finalLine = /^(\d{3}) [^\n]*\n/gm;
      finalLine.lastIndex = this.cursor;
      const match = finalLine.exec(text);
      if (!match) return undefined;
      const reply = text.slice(this.cursor, match.index + match[0].length);
      this.cursor = match.index + match[0].length;
      return reply;
    }, timeoutMs);
  }

  /** Treats everything received so far as read, e.g. after a malformed reply. */
  skipReceived(): void {
    this.cursor = this.text().length;
  }

  async command(line: string): Promise<string> {
    this.send(line);
    return this.nextReply();
  }

  /** Waits until `check` returns something other than undefined, re-checked on every chunk and on close. */
  until<T>(check: () => T | undefined, timeoutMs = WAIT_MS): Promise<T> {
    return new Promise((resolve, reject) => {
      const attempt = (): void => {
        const value = check();
        if (value !== undefined) {
          finish();
          resolve(value);
        } else if (this.ended) {
          finish();
          reject(new Error(`control connection closed; received so far: ${JSON.stringify(this.text().slice(0, 500))}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out; received so far: ${JSON.stringify(this.text().slice(0, 500))}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.listeners.delete(attempt);
      };
      this.listeners.add(attempt);
      attempt();
    });
  }

  /** Resolves when the server closed the connection (or it broke). */
  closed(timeoutMs = WAIT_MS): Promise<void> {
    return this.until(() => (this.ended ? true : undefined), timeoutMs).then(
      () => undefined,
      (error: unknown) => {
        if (this.ended) return;
        throw error;
      },
    );
  }

  /** Upgrades the connection to TLS (after a 234); rejects when the handshake or the certificate check fails. */
  startTls(options: ConnectionOptions): Promise<TLSSocket> {
    const raw = this.socket;
    raw.off('data', this.onData);
    return new Promise((resolve, reject) => {
      const secure = connectTls({ ...options, socket: raw });
      this.socket = secure;
      this.watch(secure);
      secure.once('error', reject);
      secure.once('secureConnect', () => {
        secure.off('error', reject);
        resolve(secure);
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private watch(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      if (socket !== this.socket) return;
      this.ended = true;
      this.notify();
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** The port in a 229 or 227 reply. */
export function passivePort(reply: string): number {
  const epsv = /\(\|\|\|(\d+)\|\)/.exec(reply);
  if (epsv) return Number(epsv[1]);
  const pasv = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(reply);
  if (!pasv) throw new Error(`no passive port in ${JSON.stringify(reply)}`);
  return Number(pasv[5]) * 256 + Number(pasv[6]);
}
