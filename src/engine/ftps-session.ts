/**
 * A logged-in FTPS session: its state, the small commands, and close. `openSession` runs the
 * login sequence (open-session.ts), then CCC when asked. Listings are in listing-commands.ts,
 * transfers in file-transfer.ts, verification in transfer-verification.ts; each gets the
 * session's SessionChannel (one command or data transfer at a time, with its error rules).
 *
 * Names travel in `network.encoding` (name-codec.ts): what a listing shows is sent back byte
 * for byte. A 421 to any command ends the session (FTPSCTL_ERR_CLOSED).
 */
import type { Duplex, Readable, Writable } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import { inspect } from 'node:util';
import { errorCategory, SessionError } from '../errors';
import type { ControlConnection } from './control-connection';
import { closingReplyError, type PassiveState } from './data-connection';
import { runDataTransfer, type DataTransferContext, type DataTransferOptions } from './data-transfer';
import type { Credentials, EngineSettings, FipsState } from './engine-settings';
import { getFile, putFile, type TransferOptions, type TransferResult } from './file-transfer';
import {
  listEntries,
  listing,
  modifiedAt,
  sizeReply,
  statPath,
  type ListEntries,
  type Listing,
} from './listing-commands';
import {
  fipsState,
  openControl,
  unexpectedAsInternal,
  type OpenedControl,
  type OpenSessionOptions,
  type TlsSessionStore,
} from './open-session';
import type { Features } from './parse-features';
import type { ListEntry } from './parse-list';
import { isCompletion, isNegative, type FtpReply } from './parse-reply';
import type { Refusals, SessionChannel } from './session-channel';
import { hasPins } from './certificate-pins';
import type { ServerCertificateInfo } from './tls-handshake';
import { tlsConnectOptions } from './tls-options';
import { remoteSha256 } from './transfer-verification';
import { CallerFailure } from './report-progress';

export { fipsState, type OpenSessionOptions } from './open-session';
export type { TransferOptions, TransferResult } from './file-transfer';
export type { Listing, ListEntries } from './listing-commands';
export { localFileError } from './local-file';

export interface TlsInfo {
  version: string;
  cipher: string;
  group?: string;
  serverCertificate: ServerCertificateInfo;
  chainValidated: boolean;
  pinned: boolean;
  fips: FipsState;
  /** PROT level of data connections. */
  protection: 'P' | 'C';
  /** The control channel went back to clear text after login (CCC). */
  clearCommandChannel: boolean;
  dataConnections: number;
  dataConnectionsResumed: number;
}

export interface SessionInfo {
  host: string;
  port: number;
  implicit: boolean;
  greeting: string;
  features: string[];
  tls?: TlsInfo;
}

/** What a session is made of: the opened control connection (open-session.ts) and what it was opened with. */
export interface FtpsSessionInit extends Omit<OpenedControl, 'features' | 'tlsSessions'> {
  settings: EngineSettings;
  credentials: Credentials;
  options: OpenSessionOptions;
  /** FEAT's answer; empty when not given. */
  features?: Features;
  /** Where the TLS session that data connections resume is kept; a new one when not given. */
  tlsSessions?: TlsSessionStore;
}

export class FtpsSession {
  readonly settings: EngineSettings;
  public features: Features;
  private readonly control: ControlConnection;
  readonly #init: FtpsSessionInit;
  private readonly tlsSessions: TlsSessionStore;
  private readonly passive: PassiveState = { epsv: true };
  private readonly refusals: Refusals = { mlsd: false, mlst: false };
  private readonly channel: SessionChannel;
  private dataConnections = 0;
  private dataConnectionsResumed = 0;
  private cccDone = false;
  private broken = false;
  private closed = false;

  /** @internal use openSession */
  constructor(init: FtpsSessionInit) {
    this.#init = init;
    this.settings = init.settings;
    this.control = init.control;
    this.features = init.features ?? new Map();
    this.tlsSessions = init.tlsSessions ?? {};
    // Getters: the channel reads the session's current features and codec (CCC keeps the codec, `features` is public).
    const features = (): Features => this.features;
    const control = this.control;
    this.channel = {
      settings: this.settings,
      get features() {
        return features();
      },
      refusals: this.refusals,
      get nameCodec() {
        return control.nameCodec;
      },
      command: (line) => this.command(line),
      dataTransfer: (command, body, options) => this.dataTransfer(command, body, options),
    };
  }

  /** What a log line may say about the session: no credentials, no sockets. Also what `util.inspect` shows. */
  toJSON(): { host: string; port: number; user: string; tls?: string; closed: boolean } {
    const tls = this.tlsInfo();
    return {
      host: this.settings.host,
      port: this.settings.port,
      user: this.settings.user,
      ...(tls ? { tls: `${tls.version} ${tls.cipher}, PROT ${tls.protection}` } : {}),
      closed: this.closed,
    };
  }

  [inspect.custom](): string {
    return `FtpsSession ${inspect(this.toJSON(), { breakLength: Infinity })}`;
  }

  /** @internal */
  rememberTlsSession(session: Buffer): void {
    this.tlsSessions.latest = session;
  }

  info(): SessionInfo {
    const info: SessionInfo = {
      host: this.settings.host,
      port: this.settings.port,
      implicit: this.settings.tls.enabled && this.settings.tls.implicit,
      greeting: this.#init.greeting,
      features: [...this.features.keys()],
    };
    const tls = this.tlsInfo();
    if (tls) info.tls = tls;
    return info;
  }

  tlsInfo(): TlsInfo | undefined {
    const hs = this.#init.controlTls;
    if (!hs) return undefined;
    const tls = this.settings.tls;
    return {
      version: hs.version,
      cipher: hs.cipher,
      ...(hs.group ? { group: hs.group } : {}),
      serverCertificate: hs.certificate,
      chainValidated: tls.validateCertificateChain,
      pinned: hasPins(tls.pki),
      fips: fipsState(tls.fipsMode),
      protection: tls.encryptDataChannel ? 'P' : 'C',
      clearCommandChannel: this.cccDone,
      dataConnections: this.dataConnections,
      dataConnectionsResumed: this.dataConnectionsResumed,
    };
  }

  async pwd(): Promise<string> {
    const reply = await this.expect('PWD', [257]);
    const match = /^"((?:[^"]|"")*)"/.exec(reply.message);
    if (!match)
      throw new SessionError(
        'FTPSCTL_ERR_PROTOCOL',
        `${this.settings.host} answered PWD without a quoted path: ${reply.message}`,
        { reply, host: this.settings.host },
      );
    return match[1].replace(/""/g, '"');
  }

  async cwd(path: string): Promise<void> {
    await this.expect(`CWD ${path}`, [250, 200]);
  }

  async mkdir(path: string): Promise<void> {
    await this.expect(`MKD ${path}`, [257, 250]);
  }

  async rmdir(path: string): Promise<void> {
    await this.expect(`RMD ${path}`, [250]);
  }

  async delete(path: string): Promise<void> {
    await this.expect(`DELE ${path}`, [250]);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.expect(`RNFR ${from}`, [350]);
    await this.expect(`RNTO ${to}`, [250]);
  }

  /** Size in bytes (SIZE, in TYPE I), or undefined when the server can't tell. */
  async size(path: string): Promise<number | undefined> {
    return (await sizeReply(this.channel, path)).size;
  }

  async modifiedAt(path: string): Promise<Date | undefined> {
    return modifiedAt(this.channel, path);
  }

  /** One entry's facts (MLST, else SIZE and MDTM); undefined when the path does not exist (listing-commands.ts). */
  async stat(path: string): Promise<ListEntry | undefined> {
    return statPath(this.channel, path);
  }

  /** A directory listing by MLSD or LIST as `transfer.listing` says (listing-commands.ts). */
  async listing(path?: string): Promise<Listing> {
    return listing(this.channel, path);
  }

  /** The entries of `listing()`; `unparsed` and `warnings` ride along (see ListEntries). */
  async list(path?: string): Promise<ListEntries> {
    return listEntries(await this.listing(path));
  }

  /** Server-side SHA-256 of a file (HASH, or XSHA256), or undefined when the server has neither. */
  async remoteSha256(path: string): Promise<string | undefined> {
    return remoteSha256(this.channel, path);
  }

  /** Downloads `remotePath` into a local file (created, or continued at `offset`) or a stream (file-transfer.ts). */
  async get(
    remotePath: string,
    destination: string | Writable,
    options: TransferOptions = {},
  ): Promise<TransferResult> {
    return getFile(this.channel, remotePath, destination, options);
  }

  /** Uploads a local file (from `offset` when resuming) or a stream to `remotePath` (file-transfer.ts). */
  async put(
    source: string | Readable,
    remotePath: string,
    options: TransferOptions & { append?: boolean } = {},
  ): Promise<TransferResult> {
    return putFile(this.channel, source, remotePath, options);
  }

  /** CCC (RFC 4217 §12.3): the control channel goes on in clear; data channels keep their PROT level. */
  async clearCommandChannel(): Promise<void> {
    if (!this.control.secure) throw new SessionError('FTPSCTL_ERR_USAGE', 'CCC needs a TLS-protected control channel');
    const serverClosed = this.control.watchCloseNotify();
    const reply = await this.command('CCC');
    if (reply.code !== 200) {
      throw new SessionError(
        'FTPSCTL_ERR_CCC_REFUSED',
        `${this.settings.host} refused CCC (${reply.code} ${reply.message}); the control channel stays encrypted. Set tls.clearCommandChannel to false for this server`,
        { reply, host: this.settings.host },
      );
    }
    this.control.move('clearing');
    await this.control.clearTls(this.#init.options.cccWaitMs ?? 1000, serverClosed);
    this.control.move('ready-clear');
    this.cccDone = true;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.broken && (this.control.state === 'ready' || this.control.state === 'ready-clear')) {
        this.control.send('QUIT');
        this.control.move('closing');
        await this.control.read('QUIT', 2000).catch(() => undefined);
      }
    } finally {
      this.control.close();
    }
  }

  // -- internals ------------------------------------------------------------

  private dataContext(): DataTransferContext {
    const context: DataTransferContext = {
      control: this.control,
      settings: this.settings,
      dialer: this.#init.dialer,
      passive: this.passive,
      onOutOfStep: () => {
        this.broken = true;
        this.control.close();
      },
    };
    if (this.#init.peerAddress) context.peerAddress = this.#init.peerAddress;
    const controlTls = this.#init.controlTls;
    if (controlTls && this.settings.tls.encryptDataChannel) {
      context.secure = () => ({
        settings: this.settings,
        tlsOptions: this.tlsOptions(this.tlsSessions.latest),
        controlCertificate: controlTls.certificate,
        onSession: (session) => this.rememberTlsSession(session),
      });
    }
    return context;
  }

  private tlsOptions(session?: Buffer): ConnectionOptions {
    const credentials = this.#init.credentials;
    return tlsConnectOptions({
      tls: this.settings.tls,
      material: this.#init.material,
      ...(credentials.clientKeyPassphrase !== undefined
        ? { clientKeyPassphrase: credentials.clientKeyPassphrase }
        : {}),
      ...(session ? { session } : {}),
    });
  }

  private async dataTransfer(
    command: string,
    body: (socket: Duplex) => Promise<void>,
    options: DataTransferOptions = {},
  ): Promise<{ encrypted: boolean; resumed: boolean }> {
    this.assertUsable();
    try {
      const result = await runDataTransfer(this.dataContext(), command, body, options);
      this.dataConnections += 1;
      if (result.resumed) this.dataConnectionsResumed += 1;
      return result;
    } catch (error) {
      this.markBrokenOn(error, true);
      throw error;
    }
  }

  /** A command whose reply the caller interprets; a 421 (closing) is an error whatever the command. */
  private async command(line: string): Promise<FtpReply> {
    this.assertUsable();
    try {
      const reply = await this.control.request(line);
      const closing = closingReplyError(reply, line.split(' ', 1)[0], this.settings.host);
      if (closing) throw closing;
      return reply;
    } catch (error) {
      this.markBrokenOn(error);
      throw error;
    }
  }

  /**
   * A command that must succeed. Any 2xx completes a command that expects a 2xx (RFC 959
   * §4.2: the first digit decides); only 4xx/5xx are refusals, anything else is out of protocol.
   */
  private async expect(line: string, codes: number[]): Promise<FtpReply> {
    const reply = await this.command(line);
    if (codes.includes(reply.code)) return reply;
    if (isCompletion(reply) && codes.every((code) => code >= 200 && code < 300)) return reply;
    const shown = `${line.split(' ', 1)[0]}${line.includes(' ') ? ` ${line.slice(line.indexOf(' ') + 1)}` : ''}`;
    if (isNegative(reply))
      throw new SessionError(
        'FTPSCTL_ERR_COMMAND_FAILED',
        `${this.settings.host} refused ${shown}: ${reply.code} ${reply.message}`,
        { reply, host: this.settings.host },
      );
    throw new SessionError(
      'FTPSCTL_ERR_PROTOCOL',
      `${this.settings.host} answered ${shown} with ${reply.code} ${reply.message}, not ${codes.join(' or ')}`,
      { reply, host: this.settings.host },
    );
  }

  private assertUsable(): void {
    if (this.closed) throw new SessionError('FTPSCTL_ERR_CLOSED', 'the session is closed');
    if (this.broken)
      throw new SessionError(
        'FTPSCTL_ERR_CLOSED',
        `the session with ${this.settings.host} broke earlier; open a new one`,
      );
  }

  /** Timeouts and protocol or connection failures leave the control channel in an unknown state. */
  private markBrokenOn(error: unknown, afterData = false): void {
    // The caller's progress callback threw: data-transfer.ts read the server's answer to the cut
    // connection (or marked the session out of step when none came).
    if (error instanceof CallerFailure) return;
    const code = (error as { code?: string }).code;
    // After a data transfer only a refusal before any data leaves the replies in step; a
    // security failure anywhere ends the session (no "carry on" after a bad certificate).
    const security = code !== undefined && errorCategory(code) === 'security';
    if (
      security ||
      (afterData
        ? code !== 'FTPSCTL_ERR_COMMAND_FAILED' && code !== 'FTPSCTL_ERR_VERIFY' && code !== 'FTPSCTL_ERR_LOCAL_FILE'
        : code === 'FTPSCTL_ERR_TIMEOUT' ||
          code === 'FTPSCTL_ERR_PROTOCOL' ||
          code === 'FTPSCTL_ERR_CLOSED' ||
          code === 'FTPSCTL_ERR_INTERNAL')
    ) {
      this.broken = true;
      this.control.close();
    }
  }
}

/**
 * Connects, secures, logs in and prepares a session from effective settings (open-session.ts
 * lists the errors); with tls.clearCommandChannel, CCC last (FTPSCTL_ERR_CCC_REFUSED).
 * Unmanaged: no policy is applied and nothing is audited (use `connect()` from `ftpsctl` for
 * that). Relative file paths in `settings` are read from the working directory.
 */
export async function openSession(
  settings: EngineSettings,
  credentials: Credentials,
  options: OpenSessionOptions = {},
): Promise<FtpsSession> {
  const opened = await openControl(settings, credentials, options);
  const session = new FtpsSession({ ...opened, settings, credentials, options });
  if (settings.tls.enabled && settings.tls.clearCommandChannel) {
    try {
      await session.clearCommandChannel();
    } catch (error) {
      await session.close().catch(() => undefined);
      throw unexpectedAsInternal(error, settings.host);
    }
  }
  return session;
}
