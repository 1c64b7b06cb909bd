/**
 * The control connection: one socket at a time (TCP, then TLS, then TCP again after CCC),
 * a reply reader, and the state machine of control-states.ts asked before every write.
 * It knows nothing of FTP operations; the session drives it.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { SessionError } from '../errors';
import { canMove, commandAllowed, type ControlState } from './control-states';
import { DetachableCarrier } from './detachable-carrier';
import { nameCodec, type NameCodec } from './name-codec';
import type { FtpReply } from './parse-reply';
import { ReplyReader } from './reply-reader';
import { classifyTlsError } from './tls-errors';
import { handshake, type HandshakeOptions, type HandshakeResult } from './tls-handshake';

export interface ProtocolLogLine {
  /** `info`: what the engine did between lines (TLS handshakes), as curl -v's `*` lines. */
  direction: 'sent' | 'received' | 'info';
  /** The line as sent or received; PASS and ACCT arguments are replaced by ****. */
  line: string;
}

export interface ControlOptions {
  host: string;
  tlsRequired: boolean;
  replyTimeoutMs: number;
  /** TLS will run on a carrier that CCC can release (only when CCC may be used). */
  detachableTls: boolean;
  log?: (entry: ProtocolLogLine) => void;
  /** `network.encoding` for commands and replies (default: UTF-8 with byte-preserving escapes). */
  codec?: NameCodec;
}

const SECRET_VERBS = new Set(['PASS', 'ACCT']);

export function maskCommand(line: string): string {
  const space = line.indexOf(' ');
  const verb = (space < 0 ? line : line.slice(0, space)).toUpperCase();
  return SECRET_VERBS.has(verb) && space >= 0 ? `${line.slice(0, space)} ****` : line;
}

export class ControlConnection {
  state: ControlState = 'connecting';
  readonly reader: ReplyReader;
  private socket: Duplex;
  private tlsSocket?: TLSSocket;
  private carrier?: DetachableCarrier;
  private closed = false;
  private codec: NameCodec;
  /** Right after CCC: a late close_notify from the server arrives as a TLS record on the clear stream. */
  private lateTlsRecords?: Buffer;
  private readonly onData = (chunk: Buffer): void => {
    if (this.lateTlsRecords) {
      const rest = this.skipLateTlsRecords(chunk);
      if (rest.length === 0) return;
      chunk = rest;
    }
    this.reader.push(chunk);
  };
  private readonly onError = (error: Error): void => {
    if (error instanceof SessionError) return this.reader.fail(error);
    // A TLS alert after the handshake (a TLS 1.3 server rejecting our certificate) is a TLS failure.
    if (/^ERR_SSL_|^ERR_TLS_/.test((error as NodeJS.ErrnoException).code ?? ''))
      return this.reader.fail(classifyTlsError(error, this.options.host, 'control'));
    this.reader.fail(
      new SessionError(
        'FTPSCTL_ERR_CLOSED',
        `the control connection to ${this.options.host} failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
        { cause: error, host: this.options.host },
      ),
    );
  };
  private readonly onClose = (): void => {
    this.reader.fail(
      new SessionError('FTPSCTL_ERR_CLOSED', `${this.options.host} closed the control connection`, {
        host: this.options.host,
      }),
    );
  };

  constructor(
    private readonly tcp: Duplex,
    private readonly options: ControlOptions,
  ) {
    this.codec = options.codec ?? nameCodec('auto');
    this.reader = new ReplyReader(options.host, this.codec);
    this.socket = tcp;
    this.listen(tcp);
  }

  /** The encoding names are sent and read in (`network.encoding`). */
  get nameCodec(): NameCodec {
    return this.codec;
  }

  get secure(): boolean {
    return this.tlsSocket !== undefined;
  }

  move(to: ControlState): void {
    if (!canMove(this.state, to, { tlsRequired: this.options.tlsRequired })) {
      throw new SessionError('FTPSCTL_ERR_INTERNAL', `control connection cannot go from ${this.state} to ${to}`);
    }
    this.state = to;
  }

  send(line: string): void {
    if (/[\r\n\0]/.test(line))
      throw new SessionError(
        'FTPSCTL_ERR_USAGE',
        `a command argument must not contain CR, LF or NUL: ${JSON.stringify(maskCommand(line))}`,
      );
    const verb = line.split(' ', 1)[0];
    if (!commandAllowed(this.state, verb, { tlsRequired: this.options.tlsRequired })) {
      throw new SessionError('FTPSCTL_ERR_INTERNAL', `${verb} is not allowed in control state ${this.state}`);
    }
    if (this.closed)
      throw new SessionError('FTPSCTL_ERR_CLOSED', `the control connection to ${this.options.host} is closed`, {
        host: this.options.host,
      });
    const bytes = this.codec.encode(`${line}\r\n`);
    // 0xFF is Telnet's IAC (RFC 854; RFC 959 §4.1.3 puts commands on a Telnet connection): proftpd
    // reads FF FF as one 0xFF, vsftpd and pure-ftpd as two, and FF FB.. starts a negotiation, so a
    // name holding it can name another file there. It is never sent (UTF-8 text never holds it).
    if (bytes.includes(0xff)) {
      // A login's value comes from the profile (exit 3); a name from the command (exit 2).
      if (/^(USER|PASS|ACCT)$/i.test(verb))
        throw new SessionError(
          'FTPSCTL_ERR_PROFILE_INVALID',
          `the ${verb.toUpperCase() === 'USER' ? 'user name' : 'password'} holds a character that is the byte 0xFF in network.encoding ${this.codec.encoding} (ÿ in ISO-8859-1: Telnet IAC, which servers read differently), so it can't be sent as it is: use network.encoding utf8 if the server takes UTF-8 logins, or change it`,
        );
      throw new SessionError(
        'FTPSCTL_ERR_USAGE',
        `${JSON.stringify(maskCommand(line))} holds the byte 0xFF (Telnet IAC), which servers read differently (proftpd takes FF FF as one 0xFF, vsftpd and pure-ftpd as two), so it could name another file; ftpsctl does not send it: rename the file on the server to reach it`,
      );
    }
    this.options.log?.({ direction: 'sent', line: maskCommand(line) });
    this.socket.write(bytes);
  }

  async read(waitingFor: string, timeoutMs = this.options.replyTimeoutMs, setting?: string): Promise<FtpReply> {
    const reply = await this.reader.next(timeoutMs, waitingFor, setting);
    if (this.options.log) for (const line of reply.lines) this.options.log({ direction: 'received', line });
    return reply;
  }

  async request(line: string, timeoutMs = this.options.replyTimeoutMs): Promise<FtpReply> {
    this.send(line);
    return this.read(line.split(' ', 1)[0], timeoutMs);
  }

  /** TLS on the control connection (implicit at once, explicit after 234). */
  async startTls(connectOptions: ConnectionOptions, handshakeOptions: HandshakeOptions): Promise<HandshakeResult> {
    if (this.reader.hasUnread()) {
      // Bytes before the handshake would be read as if protected (the STARTTLS injection class of bugs).
      throw new SessionError(
        'FTPSCTL_ERR_DOWNGRADE',
        `${this.options.host} sent data before the TLS handshake (a command-injection attempt, or a broken server); refusing the session`,
        { host: this.options.host },
      );
    }
    this.unlisten(this.socket);
    let base: Duplex = this.tcp;
    if (this.options.detachableTls && isNetSocket(this.tcp)) {
      this.carrier = new DetachableCarrier(this.tcp);
      base = this.carrier;
    }
    const result = await handshake(base, connectOptions, handshakeOptions);
    this.tlsSocket = result.socket;
    this.socket = result.socket;
    this.listen(result.socket);
    return result;
  }

  /**
   * After `200` to CCC: send close_notify, wait briefly for the server's (proftpd sends its
   * own at once, pure-ftpd answers ours), then go on in clear on the same TCP connection.
   */
  /**
   * Armed before CCC is sent: proxy-like servers (proftpd) send their close_notify right
   * behind the 200, possibly in the same segment, before clearTls could listen for it.
   */
  watchCloseNotify(): Promise<void> {
    const secure = this.tlsSocket;
    if (!secure) return new Promise<void>(() => undefined);
    return new Promise<void>((resolve) => secure.once('end', () => resolve()));
  }

  async clearTls(waitMs: number, serverClosed: Promise<void>): Promise<{ serverCloseNotify: boolean }> {
    const secure = this.tlsSocket;
    const carrier = this.carrier;
    if (!secure || !carrier) throw new SessionError('FTPSCTL_ERR_INTERNAL', 'CCC needs TLS on a detachable carrier');
    this.unlisten(secure);
    const serverCloseNotify = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), waitMs);
      void serverClosed.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
      secure.on('error', () => undefined);
      secure.resume();
      secure.end();
    });
    if (!serverCloseNotify) this.lateTlsRecords = Buffer.alloc(0);
    const tcp = carrier.release();
    secure.destroy();
    this.tlsSocket = undefined;
    this.carrier = undefined;
    this.socket = tcp;
    this.listen(tcp);
    tcp.resume();
    return { serverCloseNotify };
  }

  /** Drops whole TLS records (alert 0x15, or TLS 1.3's 0x17 wrapping) until clear text starts. */
  private skipLateTlsRecords(chunk: Buffer): Buffer {
    let data = Buffer.concat([this.lateTlsRecords ?? Buffer.alloc(0), chunk]);
    for (;;) {
      if (data.length === 0) {
        this.lateTlsRecords = Buffer.alloc(0);
        return data;
      }
      const looksLikeRecord = (data[0] === 0x15 || data[0] === 0x17) && (data.length < 2 || data[1] === 0x03);
      if (!looksLikeRecord) {
        this.lateTlsRecords = undefined; // replies are text: from here on, everything is the server's
        return data;
      }
      if (data.length < 5) {
        this.lateTlsRecords = data;
        return Buffer.alloc(0);
      }
      const length = 5 + data.readUInt16BE(3);
      if (data.length < length) {
        this.lateTlsRecords = data;
        return Buffer.alloc(0);
      }
      data = data.subarray(length);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.tlsSocket?.destroy();
    this.carrier?.destroy();
    this.tcp.destroy();
  }

  private listen(socket: Duplex): void {
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    // A tunnel hands its socket over paused (so no byte is lost in between): start reading.
    socket.resume();
  }

  private unlisten(socket: Duplex): void {
    socket.off('data', this.onData);
    socket.off('error', this.onError);
    socket.off('close', this.onClose);
  }
}

function isNetSocket(stream: Duplex): stream is Socket {
  return typeof (stream as Socket).setNoDelay === 'function' && typeof (stream as Socket).remoteAddress !== 'undefined';
}
