/**
 * A deliberately small FTPS client for the embedded server's tests (not the product's
 * engine): raw replies, explicit control of AUTH TLS, PROT and data-channel session reuse,
 * so tests can also do what a well-behaved client would not.
 */
import net from 'node:net';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tls from 'node:tls';

export interface Reply {
  code: number;
  /** All lines of the reply, without CRLF. */
  lines: string[];
}

export interface TransferResult {
  /** The 150 (or the refusal that came instead). */
  preliminary: Reply;
  /** 226/426/522…; undefined when the preliminary reply was already final. */
  final: Reply | undefined;
  data: Buffer;
}

export class FtpsTestClient {
  private socket: net.Socket | tls.TLSSocket;
  private buffered = '';
  private replies: Reply[] = [];
  private waiting: Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void }> = [];
  private closed = false;
  private partial: string[] = [];
  /** Latest TLS session of the control connection (TLS 1.3 tickets arrive after the handshake). */
  private session: Buffer | undefined;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk.toString('utf8'));

  private constructor(
    socket: net.Socket | tls.TLSSocket,
    private readonly ca: string,
  ) {
    this.socket = socket;
    socket.on('data', this.onData);
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose());
  }

  static async connect(
    port: number,
    options: { ca: string; implicit?: boolean; tls?: tls.ConnectionOptions },
  ): Promise<{ client: FtpsTestClient; greeting: Reply }> {
    const socket = options.implicit
      ? tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ca: options.ca, ...options.tls })
      : net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once(options.implicit ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new FtpsTestClient(socket, options.ca);
    if (socket instanceof tls.TLSSocket) socket.on('session', (session: Buffer) => (client.session = session));
    return { client, greeting: await client.nextReply() };
  }

  get isTls(): boolean {
    return this.socket instanceof tls.TLSSocket;
  }

  get tlsSocket(): tls.TLSSocket | undefined {
    return this.socket instanceof tls.TLSSocket ? this.socket : undefined;
  }

  /** Writes raw bytes (tests of CR/LF injection use this). */
  async sendRaw(text: string): Promise<Reply> {
    this.socket.write(text);
    return this.nextReply();
  }

  send(command: string): Promise<Reply> {
    return this.sendRaw(`${command}\r\n`);
  }

  nextReply(): Promise<Reply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closed) return Promise.reject(new Error('control connection closed'));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async authTls(tlsOptions: tls.ConnectionOptions = {}): Promise<Reply> {
    const reply = await this.send('AUTH TLS');
    if (reply.code !== 234) return reply;
    const plain = this.socket;
    plain.off('data', this.onData);
    const secured = tls.connect({ socket: plain, servername: 'localhost', ca: this.ca, ...tlsOptions });
    secured.on('session', (session: Buffer) => (this.session = session));
    await new Promise<void>((resolve, reject) => {
      secured.once('secureConnect', () => resolve());
      secured.once('error', reject);
    });
    secured.on('data', this.onData);
    secured.on('error', () => undefined);
    secured.on('close', () => this.onClose());
    this.socket = secured;
    return reply;
  }

  /** AUTH TLS, USER/PASS, PBSZ 0, PROT P. */
  async loginPrivate(user: string, password: string): Promise<void> {
    await this.expect(await this.authTls(), 234);
    await this.expect(await this.send(`USER ${user}`), 331);
    await this.expect(await this.send(`PASS ${password}`), 230);
    await this.expect(await this.send('PBSZ 0'), 200);
    await this.expect(await this.send('PROT P'), 200);
    await this.expect(await this.send('TYPE I'), 200);
  }

  async epsvPort(): Promise<number> {
    const reply = await this.send('EPSV');
    const port = /\(\|\|\|(\d+)\|\)/.exec(reply.lines[0] ?? '')?.[1];
    if (reply.code !== 229 || !port) throw new Error(`EPSV failed: ${JSON.stringify(reply)}`);
    return Number(port);
  }

  /**
   * One data transfer: EPSV, connect, `command`, and the data in either direction.
   * `protect` runs TLS on the data connection; `resume` offers the control session.
   */
  async transfer(
    command: string,
    options: { protect: boolean; resume?: boolean; upload?: Buffer; restartAt?: number },
  ): Promise<TransferResult> {
    const port = await this.epsvPort();
    const raw = net.connect(port, '127.0.0.1');
    raw.on('error', () => undefined);
    await new Promise<void>((resolve) => raw.once('connect', () => resolve()));
    // REST must come right before RETR/STOR (RFC 3659 5.3).
    if (options.restartAt !== undefined) await this.expect(await this.send(`REST ${options.restartAt}`), 350);
    const preliminary = await this.send(command);
    if (preliminary.code !== 150) {
      raw.destroy();
      return { preliminary, final: undefined, data: Buffer.alloc(0) };
    }
    const resume = options.resume ?? true;
    const data = options.protect
      ? tls.connect({
          socket: raw,
          servername: 'localhost',
          ca: this.ca,
          ...(resume && this.session ? { session: this.session } : {}),
        })
      : raw;
    data.on('error', () => undefined);
    const chunks: Buffer[] = [];
    const finalReply = this.nextReply();
    const moved = (async () => {
      if (options.protect)
        await new Promise<void>((resolve) => (data as tls.TLSSocket).once('secureConnect', () => resolve()));
      if (options.upload) {
        data.end(options.upload);
        data.resume();
        await new Promise<void>((resolve) => data.once('close', () => resolve()));
      } else {
        await pipeline(data, new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) }));
      }
    })().catch(() => undefined);
    const final = await finalReply;
    if (final.code >= 400) data.destroy();
    await moved;
    return { preliminary, final, data: Buffer.concat(chunks) };
  }

  async quit(): Promise<void> {
    await this.send('QUIT').catch(() => undefined);
    this.close();
  }

  close(): void {
    this.socket.destroy();
  }

  private async expect(reply: Reply, code: number): Promise<void> {
    if (reply.code !== code) throw new Error(`expected ${code}, got ${JSON.stringify(reply)}`);
  }

  private onClose(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter.reject(new Error('control connection closed'));
  }

  private receive(text: string): void {
    this.buffered += text;
    for (let end = this.buffered.indexOf('\r\n'); end !== -1; end = this.buffered.indexOf('\r\n')) {
      const line = this.buffered.slice(0, end);
      this.buffered = this.buffered.slice(end + 2);
      this.partial.push(line);
      const first = this.partial[0]!;
      const code = first.slice(0, 3);
      // Multi-line replies end with the same code followed by a space (RFC 959 4.2).
      const complete = first[3] !== '-' ? true : this.partial.length > 1 && line.startsWith(`${code} `);
      if (complete) {
        const reply = { code: Number(code), lines: this.partial };
        this.partial = [];
        const waiter = this.waiting.shift();
        if (waiter) waiter.resolve(reply);
        else this.replies.push(reply);
      }
    }
  }
}
