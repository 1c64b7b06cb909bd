/**
 * A logged-in FTPS session and its operations. `openSession` walks the control-channel
 * states in curl's order: connect -> TLS (implicit) or AUTH TLS -> USER/PASS -> PBSZ 0 ->
 * PROT -> FEAT, OPTS UTF8 ON -> TYPE I -> optional CCC. With tls.enabled there is no path to
 * plain FTP: a refused AUTH TLS or PROT P ends the session with a security error.
 *
 * Names travel in `network.encoding` (name-codec.ts): what a listing shows is sent back byte
 * for byte. Listings use `transfer.listing` (MLSD where offered, LIST for the rest of the
 * session once MLSD is refused). A 421 to any command ends the session (FTPSCTL_ERR_CLOSED).
 */
import { getFips } from 'node:crypto';
import { constants as fsConstants, createReadStream, createWriteStream, fstatSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { Readable, Writable, type Duplex, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ConnectionOptions } from 'node:tls';
import { errnoInWords, errorCategory, FtpsctlError, SessionError } from '../errors';
import { ControlConnection, type ProtocolLogLine } from './control-connection';
import { closingReplyError, type PassiveState } from './data-connection';
import { runDataTransfer, type DataTransferContext, type DataTransferOptions } from './data-transfer';
import type { Credentials, EngineSettings, FipsState } from './engine-settings';
import { sha256OfFile } from './local-file-hash';
import { hashAlgorithms, parseFeatures, type Features } from './parse-features';
import { nameCodec } from './name-codec';
import { parseListing, parseMdtm, parseMlsdLine, type ListEntry, type ListParse } from './parse-list';
import { isCompletion, isNegative, type FtpReply } from './parse-reply';
import { checkedDialer, checkedProxyTargets, directDialer, type Dialer, type DialedAddressCheck } from './tcp-dialer';
import { proxyDialer } from './proxy/proxy-dialer';
import { protocolDebugLog } from './debug-log';
import type { HandshakeResult, ServerCertificateInfo } from './tls-handshake';
import { tlsConnectOptions } from './tls-options';
import { readTrustMaterial, type TrustMaterial } from './trust-material';
import { hasPins } from './certificate-pins';
import { TransferMeter, type ProgressListener } from './transfer-meter';
import { ListingLimiter, listingLimits } from './listing/listing-limits';

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

export interface TransferOptions {
  /** Resume: skip this many bytes (get: REST; put: the remote file already holds them, APPE sends the rest). */
  offset?: number;
  onProgress?: ProgressListener;
  /** Compute the SHA-256 of the bytes moved (audit events, hash verification). */
  sha256?: boolean;
  /** Overrides transfer.verify. */
  verify?: 'none' | 'size' | 'hash';
  /** get: the size SIZE just gave, when the caller asked already (saves a round trip). */
  remoteSize?: number;
}

export interface TransferResult {
  direction: 'download' | 'upload';
  remotePath: string;
  /** Bytes moved by this transfer (not counting a resumed prefix). */
  bytes: number;
  offset: number;
  /** SHA-256 of the whole file, or, with `sha256Range`, of those bytes only. */
  sha256?: string;
  /**
   * Set when `sha256` covers only part of the file: the bytes this transfer moved after a
   * resume ([start, end), in bytes). The part already on disk is not read again to hash it
   * (a 600-byte resume of a 4 GiB file would read 4 GiB); transfer.verify hash still
   * compares the whole file, and then `sha256` is the whole file's.
   */
  sha256Range?: { start: number; end: number };
  durationMs: number;
  verifiedBy: 'hash' | 'size' | 'none';
  encrypted: boolean;
  sessionResumed: boolean;
}

/** A directory listing with everything the server sent: entries, lines no format fits, and time warnings. */
export interface Listing extends ListParse {
  /** The command that produced it. */
  command: 'MLSD' | 'LIST';
}

/** `list()`'s result: the entries, with the unparsed lines and warnings alongside (not enumerable, so it still equals a plain array). */
export type ListEntries = ListEntry[] & { readonly unparsed: string[]; readonly warnings: string[] };

/** MLSD/MLST answered "not understood / not implemented" (RFC 959 500, 502; 504 for the parameter). */
const NOT_IMPLEMENTED = new Set([500, 502, 504]);

export interface OpenSessionOptions {
  dialer?: Dialer;
  log?: (entry: ProtocolLogLine) => void;
  /** How long to wait for the server's close_notify after CCC. */
  cccWaitMs?: number;
  /** Checks every address about to be dialed, control and data (tcp-dialer.ts); throws to refuse. */
  checkDialedAddress?: DialedAddressCheck;
}

export class FtpsSession {
  private passive: PassiveState = { epsv: true };
  /** Set when the server refused MLSD (transfer.listing auto): LIST from then on. */
  private mlsdRefused = false;
  /** Set when the server refused MLST: SIZE and MDTM from then on. */
  private mlstRefused = false;
  private latestTlsSession?: Buffer;
  private dataConnections = 0;
  private dataConnectionsResumed = 0;
  private cccDone = false;
  private broken = false;
  private closed = false;

  /** @internal use openSession */
  constructor(
    readonly settings: EngineSettings,
    private readonly control: ControlConnection,
    private readonly dialer: Dialer,
    private readonly peerAddress: string | undefined,
    private readonly material: TrustMaterial,
    private readonly credentials: Credentials,
    private readonly controlTls: HandshakeResult | undefined,
    private readonly greeting: string,
    private readonly options: OpenSessionOptions,
    public features: Features = new Map(),
  ) {}

  /** @internal */
  rememberTlsSession(session: Buffer): void {
    this.latestTlsSession = session;
  }

  info(): SessionInfo {
    const info: SessionInfo = {
      host: this.settings.host,
      port: this.settings.port,
      implicit: this.settings.tls.enabled && this.settings.tls.implicit,
      greeting: this.greeting,
      features: [...this.features.keys()],
    };
    const tls = this.tlsInfo();
    if (tls) info.tls = tls;
    return info;
  }

  tlsInfo(): TlsInfo | undefined {
    const hs = this.controlTls;
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
    return (await this.sizeReply(path)).size;
  }

  /** SIZE with the reply, so a refusal can be named (a 502 is why a transfer can't be verified). */
  private async sizeReply(path: string): Promise<{ size?: number; reply: FtpReply }> {
    const reply = await this.command(`SIZE ${path}`);
    const size = reply.code === 213 && /^\d+$/.test(reply.message.trim()) ? Number(reply.message.trim()) : undefined;
    return size === undefined ? { reply } : { size, reply };
  }

  /** Whether `transfer.verify hash` can be met by this server (HASH with SHA-256, or XSHA256). */
  private offersSha256(): boolean {
    return hashAlgorithms(this.features).includes('SHA-256') || this.features.has('XSHA256');
  }

  async modifiedAt(path: string): Promise<Date | undefined> {
    const reply = await this.command(`MDTM ${path}`);
    return reply.code === 213 ? parseMdtm(reply.message.trim()) : undefined;
  }

  /**
   * One entry's facts (MLST), else SIZE and MDTM; undefined when the path does not exist.
   * Only 550 (RFC 959: file unavailable, not found) means "does not exist"; MLST refused as
   * a command (500/501/502/504) falls back to SIZE and MDTM; any other refusal (530, 553,
   * 4xx...) is an error naming the reply.
   */
  async stat(path: string): Promise<ListEntry | undefined> {
    if (this.features.has('MLST') && !this.mlstRefused) {
      const reply = await this.command(`MLST ${path}`);
      if (reply.code === 250) {
        const factLine = reply.lines.slice(1, -1).find((line) => line.trim() !== '');
        // RFC 3659 §7.2: the fact line starts with one space, then facts, a space and the path.
        const entry = factLine ? parseMlsdLine(factLine.replace(/^ /, '')) : undefined;
        if (entry) return { ...entry, name: path.split('/').filter(Boolean).pop() ?? entry.name };
      } else if (reply.code === 550) {
        return undefined;
      } else if (NOT_IMPLEMENTED.has(reply.code) || reply.code === 501) {
        this.mlstRefused = NOT_IMPLEMENTED.has(reply.code);
      } else if (isNegative(reply)) {
        throw new SessionError(
          'FTPSCTL_ERR_COMMAND_FAILED',
          `${this.settings.host} refused MLST ${path}: ${reply.code} ${reply.message}`,
          { reply, host: this.settings.host },
        );
      }
    }
    const size = await this.size(path);
    const modifiedAt = await this.modifiedAt(path);
    if (size === undefined && modifiedAt === undefined) return undefined;
    return {
      name: path.split('/').filter(Boolean).pop() ?? path,
      type: 'file',
      ...(size !== undefined ? { size } : {}),
      ...(modifiedAt ? { modifiedAt } : {}),
    };
  }

  /**
   * A directory listing: MLSD or LIST as `transfer.listing` says (auto: MLSD where FEAT lists
   * MLST, LIST for the rest of the session once MLSD is refused with 500/502/504). Nothing
   * the server sent is dropped: lines no format fits are in `unparsed`.
   */
  async listing(path?: string): Promise<Listing> {
    const mode = this.settings.transfer.listing ?? 'auto';
    const useMlsd = mode === 'mlsd' || (mode === 'auto' && this.features.has('MLST') && !this.mlsdRefused);
    if (useMlsd) {
      try {
        return await this.listWith('MLSD', path);
      } catch (error) {
        const reply = (error as SessionError).reply;
        const refused =
          (error as SessionError).code === 'FTPSCTL_ERR_COMMAND_FAILED' &&
          reply !== undefined &&
          NOT_IMPLEMENTED.has(reply.code);
        if (!refused) throw error;
        if (mode === 'mlsd') {
          throw new SessionError(
            'FTPSCTL_ERR_COMMAND_FAILED',
            `${this.settings.host} refused MLSD (${reply.code} ${reply.message}); transfer.listing is mlsd: set it to auto (or list) to use LIST with this server`,
            { cause: error, reply, host: this.settings.host },
          );
        }
        this.mlsdRefused = true;
      }
    }
    return this.listWith('LIST', path);
  }

  /** The entries of `listing()`; `unparsed` and `warnings` ride along (see ListEntries). */
  async list(path?: string): Promise<ListEntries> {
    const { entries, unparsed, warnings } = await this.listing(path);
    Object.defineProperty(entries, 'unparsed', { value: unparsed, enumerable: false });
    Object.defineProperty(entries, 'warnings', { value: warnings, enumerable: false });
    return entries as ListEntries;
  }

  /**
   * One listing, read under transfer.maxListingBytes and transfer.maxListingEntries: the data
   * connection is closed at the first byte or line beyond either (FTPSCTL_ERR_TRANSFER), so a
   * hostile listing costs at most the limit in memory.
   */
  private async listWith(command: 'MLSD' | 'LIST', path?: string): Promise<Listing> {
    const limiter = new ListingLimiter(listingLimits(this.settings.transfer), {
      command,
      folder: path ?? '.',
      host: this.settings.host,
    });
    await this.dataTransfer(`${command}${path ? ` ${path}` : ''}`, async (socket) => {
      for await (const chunk of socket) limiter.add(chunk as Buffer);
    });
    const text = this.control.nameCodec.decode(limiter.bytes());
    return { command, ...parseListing(text, { mlsd: command === 'MLSD' }) };
  }

  /** Server-side SHA-256 of a file (HASH, or XSHA256), or undefined when the server has neither. */
  async remoteSha256(path: string): Promise<string | undefined> {
    const algorithms = hashAlgorithms(this.features);
    if (algorithms.includes('SHA-256')) {
      if (!/SHA-256\*/i.test(this.features.get('HASH') ?? '')) {
        const selected = await this.command('OPTS HASH SHA-256');
        if (!isCompletion(selected)) return undefined;
        this.features.set('HASH', 'SHA-256*');
      }
      const reply = await this.command(`HASH ${path}`);
      const hex = reply.code === 213 ? /\b([0-9a-fA-F]{64})\b/.exec(reply.message)?.[1] : undefined;
      return hex?.toLowerCase();
    }
    if (this.features.has('XSHA256')) {
      const reply = await this.command(`XSHA256 ${path}`);
      return isCompletion(reply) ? /\b([0-9a-fA-F]{64})\b/.exec(reply.message)?.[1]?.toLowerCase() : undefined;
    }
    return undefined;
  }

  /** Downloads `remotePath` into a local file (created, or continued at `offset`) or a stream. */
  async get(
    remotePath: string,
    destination: string | Writable,
    options: TransferOptions = {},
  ): Promise<TransferResult> {
    const started = Date.now();
    const offset = options.offset ?? 0;
    const verify = options.verify ?? this.settings.transfer.verify;
    // SIZE before RETR is what catches a truncated download: Node 20 can't tell a TLS EOF
    // without close_notify from a clean one (measured: test/engine/close-notify.test.ts), so
    // a download that can't be checked at the level transfer.verify demands is refused.
    let expectedSize = options.remoteSize;
    let sizeRefusal: FtpReply | undefined;
    if (expectedSize === undefined) {
      const answered = await this.sizeReply(remotePath);
      expectedSize = answered.size;
      if (expectedSize === undefined) sizeRefusal = answered.reply;
    }
    if (expectedSize === undefined && verify !== 'none' && this.features.has('MLST') && !this.mlstRefused) {
      expectedSize = (await this.stat(remotePath).catch(() => undefined))?.size;
    }
    if (expectedSize === undefined && verify !== 'none' && !(verify === 'hash' && this.offersSha256())) {
      const why = sizeRefusal
        ? `${this.settings.host} answered SIZE with ${sizeRefusal.code} ${sizeRefusal.message}`
        : `${this.settings.host} gave no size`;
      throw new SessionError(
        'FTPSCTL_ERR_VERIFY',
        `download of ${remotePath} refused before it started: transfer.verify is ${verify}, and it could not be verified: ${why}, and it offers no HASH SHA-256 or XSHA256 (a cut connection would pass as complete). Ask the server's administrator to enable SIZE (RFC 3659) or HASH; or, where the policy allows it, set transfer.verify to none`,
        { host: this.settings.host, ...(sizeRefusal ? { reply: sizeRefusal } : {}) },
      );
    }
    // Bytes beyond the announced size stop the transfer at the first one (the meter's limit).
    const meter = new TransferMeter({
      sha256: options.sha256 === true || (verify === 'hash' && offset === 0),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(expectedSize !== undefined
        ? { expectedBytes: expectedSize - offset, limitBytes: expectedSize - offset }
        : {}),
    });
    const sink = typeof destination === 'string' ? await openLocalWrite(destination, offset) : destination;
    const localFailure = typeof destination === 'string' ? watchLocalFile(sink, destination, 'write') : undefined;
    let result: { encrypted: boolean; resumed: boolean };
    try {
      result = await this.dataTransfer(
        `RETR ${remotePath}`,
        (socket) => (localFailure ? localFailure.run(socket, meter, sink) : pipeline(socket, meter, sink)),
        { rest: offset, direction: 'download' },
      );
    } catch (error) {
      if (typeof destination === 'string') sink.destroy(); // a refused RETR never ran the pipeline
      if (
        error instanceof SessionError &&
        error.code === 'FTPSCTL_ERR_VERIFY' &&
        !error.message.startsWith('download of')
      ) {
        throw new SessionError('FTPSCTL_ERR_VERIFY', `download of ${remotePath}: ${error.message}`, {
          cause: error,
          host: this.settings.host,
        });
      }
      throw error;
    }
    const transfer: TransferResult = {
      direction: 'download',
      remotePath,
      bytes: meter.bytes,
      offset,
      durationMs: 0,
      verifiedBy: 'none',
      encrypted: result.encrypted,
      sessionResumed: result.resumed,
    };
    const moved = meter.digest();
    setMovedSha256(transfer, moved);
    if (expectedSize !== undefined && offset + meter.bytes !== expectedSize) {
      throw new SessionError(
        'FTPSCTL_ERR_VERIFY',
        `download of ${remotePath} is incomplete: ${offset + meter.bytes} of ${expectedSize} bytes arrived`,
        { host: this.settings.host },
      );
    }
    transfer.verifiedBy = await this.verify(verify, remotePath, expectedSize, offset + meter.bytes, async () => {
      if (offset === 0) return moved;
      // Resumed: only hash verification reads the part already on disk, and then the record names the whole file.
      if (typeof destination !== 'string') return undefined;
      const whole = await sha256OfFile(destination);
      transfer.sha256 = whole;
      delete transfer.sha256Range;
      return whole;
    });
    transfer.durationMs = Date.now() - started;
    return transfer;
  }

  /** Uploads a local file (from `offset` when resuming) or a stream to `remotePath`. */
  async put(
    source: string | Readable,
    remotePath: string,
    options: TransferOptions & { append?: boolean } = {},
  ): Promise<TransferResult> {
    const started = Date.now();
    const offset = options.offset ?? 0;
    const verify = options.verify ?? this.settings.transfer.verify;
    const input = typeof source === 'string' ? await openLocalRead(source, offset) : source;
    const localFailure = typeof source === 'string' ? watchLocalFile(input, source, 'read') : undefined;
    const localBytes = typeof source === 'string' ? openedFileBytes(input, offset) : undefined;
    const meter = new TransferMeter({
      sha256: options.sha256 === true || (verify === 'hash' && offset === 0),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(localBytes !== undefined ? { expectedBytes: localBytes } : {}),
    });
    // Resume with APPE, as curl does: REST + STOR is refused by servers that forbid store
    // restarts (proftpd's default, 451), and APPE at the remote size means the same.
    const useAppend = options.append === true || offset > 0;
    const command = `${useAppend ? 'APPE' : 'STOR'} ${remotePath}`;
    let result: { encrypted: boolean; resumed: boolean };
    try {
      result = await this.dataTransfer(
        command,
        (socket) => (localFailure ? localFailure.run(input, meter, socket) : pipeline(input, meter, socket)),
        { ...(useAppend ? {} : { rest: offset }), direction: 'upload' },
      );
    } catch (error) {
      if (typeof source === 'string') input.destroy(); // a refused STOR never ran the pipeline
      throw error;
    }
    const transfer: TransferResult = {
      direction: 'upload',
      remotePath,
      bytes: meter.bytes,
      offset,
      durationMs: 0,
      verifiedBy: 'none',
      encrypted: result.encrypted,
      sessionResumed: result.resumed,
    };
    // After a resumed upload the meter saw only the tail: the record says which bytes its hash covers.
    const moved = meter.digest();
    setMovedSha256(transfer, moved);
    if (!options.append) {
      const remoteSize = verify === 'none' ? undefined : await this.size(remotePath);
      transfer.verifiedBy = await this.verify(verify, remotePath, remoteSize, offset + meter.bytes, async () => {
        if (offset === 0) return moved;
        if (typeof source !== 'string') return undefined;
        const whole = await sha256OfFile(source);
        transfer.sha256 = whole;
        delete transfer.sha256Range;
        return whole;
      });
    }
    transfer.durationMs = Date.now() - started;
    return transfer;
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
    await this.control.clearTls(this.options.cccWaitMs ?? 1000, serverClosed);
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

  /**
   * transfer.verify after a transfer: `hash` compares SHA-256 (HASH/XSHA256), else the size;
   * `size` compares sizes. A transfer that can be checked at neither level fails
   * (FTPSCTL_ERR_VERIFY): `verifiedBy: none` is only ever the result of `verify: none`.
   */
  private async verify(
    mode: 'none' | 'size' | 'hash',
    remotePath: string,
    remoteSize: number | undefined,
    localSize: number,
    localSha256: () => string | undefined | Promise<string | undefined>,
  ): Promise<'hash' | 'size' | 'none'> {
    if (mode === 'none') return 'none';
    if (mode === 'hash') {
      const remote = await this.remoteSha256(remotePath);
      if (remote !== undefined) {
        const local = await localSha256();
        if (local !== undefined) {
          if (local !== remote)
            throw new SessionError(
              'FTPSCTL_ERR_VERIFY',
              `SHA-256 of ${remotePath} differs: local ${local}, server ${remote}`,
              { host: this.settings.host },
            );
          return 'hash';
        }
      }
      // The server has no HASH: fall back to the size, as transfer.verify documents.
    }
    if (remoteSize === undefined) {
      throw new SessionError(
        'FTPSCTL_ERR_VERIFY',
        `${remotePath} (${localSize} bytes moved) could not be verified as transfer.verify (${mode}) demands: ${this.settings.host} gave neither a SHA-256 nor a size for it. Ask the server's administrator to enable SIZE (RFC 3659) or HASH; or, where the policy allows it, set transfer.verify to none`,
        { host: this.settings.host },
      );
    }
    if (remoteSize !== localSize)
      throw new SessionError(
        'FTPSCTL_ERR_VERIFY',
        `size of ${remotePath} differs: local ${localSize} bytes, server ${remoteSize} bytes`,
        { host: this.settings.host },
      );
    return 'size';
  }

  private dataContext(): DataTransferContext {
    const context: DataTransferContext = {
      control: this.control,
      settings: this.settings,
      dialer: this.dialer,
      passive: this.passive,
      onOutOfStep: () => {
        this.broken = true;
        this.control.close();
      },
    };
    if (this.peerAddress) context.peerAddress = this.peerAddress;
    if (this.controlTls && this.settings.tls.encryptDataChannel) {
      const certificate = this.controlTls.certificate;
      context.secure = () => ({
        settings: this.settings,
        tlsOptions: this.tlsOptions(this.latestTlsSession),
        controlCertificate: certificate,
        onSession: (session) => this.rememberTlsSession(session),
      });
    }
    return context;
  }

  private tlsOptions(session?: Buffer): ConnectionOptions {
    return tlsConnectOptions({
      tls: this.settings.tls,
      material: this.material,
      ...(this.credentials.clientKeyPassphrase !== undefined
        ? { clientKeyPassphrase: this.credentials.clientKeyPassphrase }
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
      this.countData(result);
      return result;
    } catch (error) {
      this.markBrokenOn(error, true);
      throw error;
    }
  }

  private countData(result: { encrypted: boolean; resumed: boolean }): void {
    this.dataConnections += 1;
    if (result.resumed) this.dataConnectionsResumed += 1;
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

/** The hash of the bytes moved; after a resume it covers only them, and says so. */
function setMovedSha256(transfer: TransferResult, moved: string | undefined): void {
  if (moved === undefined) return;
  transfer.sha256 = moved;
  if (transfer.offset > 0) transfer.sha256Range = { start: transfer.offset, end: transfer.offset + transfer.bytes };
}

export function fipsState(fipsMode: boolean): FipsState {
  if (!fipsMode) return 'off';
  return getFips() === 1 ? 'validated-module' : 'approved-algorithms-only';
}

/** Opened before anything is sent, so a local problem is reported as such and nothing leaks. */
async function opened<T extends Readable | Writable>(stream: T, file: string, what: 'read' | 'write'): Promise<T> {
  try {
    await once(stream, 'open');
    return stream;
  } catch (error) {
    stream.destroy();
    throw localFileError(error, file, what);
  }
}

/** FTPSCTL_ERR_LOCAL_FILE naming the local file, what was being done and the errno in words. */
export function localFileError(error: unknown, file: string, what: 'read' | 'write'): SessionError {
  return new SessionError('FTPSCTL_ERR_LOCAL_FILE', `cannot ${what} the local file ${file}: ${errnoInWords(error)}`, {
    cause: error,
  });
}

/**
 * Remembers an error of the local file's stream, so a transfer that failed because of it
 * (ENOSPC, EIO...) is reported as a local-file failure, not as the server's.
 */
function watchLocalFile(stream: Readable | Writable, file: string, what: 'read' | 'write'): LocalFileWatch {
  // pipeline() destroys every stream with the first error, so each emits it: the stream that
  // emitted first is where it came from.
  let first: { local: boolean; error: unknown } | undefined;
  stream.on('error', (error) => (first ??= { local: true, error }));
  const watch: LocalFileWatch = {
    run: (...streams) => {
      for (const peer of streams) peer.on('error', (error: unknown) => (first ??= { local: false, error }));
      return pipeline(streams[0], ...(streams.slice(1) as [Transform, Writable])).catch((error: unknown) => {
        if (first?.local) throw localFileError(first.error, file, what);
        throw error;
      });
    },
  };
  return watch;
}

interface LocalFileWatch {
  /** pipeline(...streams), with a failure of the local file reported as FTPSCTL_ERR_LOCAL_FILE. */
  run: (...streams: [Readable | Duplex, Transform, Writable | Duplex]) => Promise<void>;
}

function openLocalWrite(path: string, offset: number): Promise<Writable> {
  // O_NOFOLLOW: a symbolic link put in the part file's place is refused (ELOOP), never written through.
  const flags =
    (offset > 0 ? fsConstants.O_RDWR : fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC) |
    (fsConstants.O_NOFOLLOW ?? 0); // undefined on Windows
  // fs.open takes numeric flags; @types/node types StreamOptions.flags as string only.
  return opened(
    createWriteStream(path, { flags: flags as unknown as string, start: offset, highWaterMark: 4 * 1024 * 1024 }),
    path,
    'write',
  );
}

/** Bytes left to read from an opened local file (fstat: no extra trip to the thread pool), or undefined. */
function openedFileBytes(stream: Readable, offset: number): number | undefined {
  const fd = (stream as Readable & { fd?: number | null }).fd;
  try {
    return typeof fd === 'number' ? fstatSync(fd).size - offset : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A ReadStream allocates highWaterMark bytes for every read, the last (EOF) one included: with
 * 1 MiB for a 4 KiB file that was 2 MiB of garbage per file and ~12% of a 200-file upload
 * mirror's CPU in GC. Small files get a buffer just over their size (one read, then EOF).
 */
async function openLocalRead(path: string, offset: number): Promise<Readable> {
  const size = await stat(path).then(
    (info) => info.size,
    () => undefined,
  );
  const chunk = size === undefined ? 1024 * 1024 : Math.min(1024 * 1024, Math.max(16 * 1024, size - offset + 1));
  return opened(createReadStream(path, { start: offset, highWaterMark: chunk }), path, 'read');
}

/** Connects, secures, logs in and prepares a session from resolved settings. */
export async function openSession(
  settings: EngineSettings,
  credentials: Credentials,
  options: OpenSessionOptions = {},
): Promise<FtpsSession> {
  const tls = settings.tls;
  if (tls.enabled && tls.fipsMode && tls.requireValidatedCryptoModule && getFips() !== 1) {
    throw new SessionError(
      'FTPSCTL_ERR_FIPS_UNAVAILABLE',
      'the settings require a FIPS-validated crypto module, and this Node.js runtime has none (crypto.getFips() is 0); run ftpsctl on a FIPS-enabled Node.js build, or ask the policy owner',
      { host: settings.host },
    );
  }
  const material = tls.enabled
    ? await readTrustMaterial(tls, undefined, credentials.clientKeyPassphrase)
    : { crlPems: [] };
  // Through a proxy every connection, control and data, is a tunnel; never a direct one.
  // Every address dialed (control and data) passes options.checkDialedAddress, when given.
  const check = options.checkDialedAddress;
  const base = options.dialer ?? directDialer;
  const dialer = settings.proxy.enabled
    ? check
      ? checkedProxyTargets(await proxyDialer(settings, credentials, base), check)
      : await proxyDialer(settings, credentials, base)
    : check
      ? checkedDialer(base, check)
      : base;
  const dialed = await dialer(
    { host: settings.host, port: settings.port, purpose: 'control' },
    settings.network.connectTimeoutMs,
  );
  const encoding = settings.network.encoding ?? 'auto';
  const log = options.log ?? protocolDebugLog();
  const control = new ControlConnection(dialed.socket, {
    host: settings.host,
    tlsRequired: tls.enabled,
    replyTimeoutMs: settings.network.idleTimeoutMs,
    detachableTls: tls.enabled && tls.clearCommandChannel,
    codec: nameCodec(encoding),
    ...(log ? { log } : {}),
  });
  let latestSession: Buffer | undefined;
  const connectOptions = (): ConnectionOptions =>
    tlsConnectOptions({
      tls,
      material,
      ...(credentials.clientKeyPassphrase !== undefined
        ? { clientKeyPassphrase: credentials.clientKeyPassphrase }
        : {}),
    });
  const handshakeOptions = {
    settings: tls,
    host: settings.host,
    channel: 'control' as const,
    timeoutMs: settings.network.connectTimeoutMs,
    onSession: (s: Buffer) => (latestSession = s),
  };
  try {
    let hs: HandshakeResult | undefined;
    let greeting: FtpReply;
    if (tls.enabled && tls.implicit) {
      hs = await control.startTls(connectOptions(), handshakeOptions);
      control.move('secured');
      greeting = await readGreeting(control, settings);
    } else {
      greeting = await readGreeting(control, settings);
      control.move('greeted');
      if (tls.enabled) {
        const auth = await control.request('AUTH TLS');
        if (auth.code !== 234) {
          throw new SessionError(
            'FTPSCTL_ERR_TLS_REFUSED',
            `${settings.host} refused AUTH TLS (${auth.code} ${auth.message}); ftpsctl never falls back to plain FTP. Check tls.implicit and the port, or ask the server's administrator to enable TLS`,
            { reply: auth, host: settings.host },
          );
        }
        control.move('securing');
        hs = await control.startTls(connectOptions(), handshakeOptions);
        control.move('secured');
      }
    }
    if (hs)
      log?.({
        direction: 'info',
        line: `TLS ${hs.version} ${hs.cipher}${hs.group ? ` (${hs.group})` : ''}, server certificate ${hs.certificate.subject}, issuer ${hs.certificate.issuer}, SHA-256 ${hs.certificate.sha256}`,
      });
    await login(control, settings, credentials);
    if (tls.enabled) await protect(control, settings);
    control.move('ready');
    const featReply = await control.request('FEAT');
    const features = parseFeatures(featReply);
    // RFC 2640: OPTS UTF8 ON where FEAT offers it (auto) or always (utf8); a refusal (pyftpdlib: 501) changes nothing.
    if ((encoding === 'auto' && features.has('UTF8')) || encoding === 'utf8') {
      const opts = await control.request('OPTS UTF8 ON');
      const closing = closingReplyError(opts, 'OPTS', settings.host);
      if (closing) throw closing;
    }
    const type = await control.request('TYPE I');
    if (!isCompletion(type))
      throw new SessionError(
        'FTPSCTL_ERR_COMMAND_FAILED',
        `${settings.host} refused TYPE I: ${type.code} ${type.message}`,
        { reply: type, host: settings.host },
      );
    const session = new FtpsSession(
      settings,
      control,
      dialer,
      dialed.peerAddress,
      material,
      credentials,
      hs,
      greeting.message,
      options,
      features,
    );
    if (latestSession) session.rememberTlsSession(latestSession);
    // Tickets that arrive later (TLS 1.3 sends them after the handshake) keep coming to the session.
    hs?.socket.on('session', (s: Buffer) => session.rememberTlsSession(s));
    if (tls.enabled && tls.clearCommandChannel) {
      try {
        await session.clearCommandChannel();
      } catch (error) {
        await session.close().catch(() => undefined);
        throw error;
      }
    }
    return session;
  } catch (error) {
    control.close();
    if (error instanceof FtpsctlError) throw error;
    throw new SessionError(
      'FTPSCTL_ERR_INTERNAL',
      `session with ${settings.host} failed unexpectedly: ${(error as Error).message}`,
      { cause: error, host: settings.host },
    );
  }
}

/**
 * The greeting: 220, after any number of `120 ready in n minutes` (RFC 959 §4.2); all of it
 * within network.connectTimeoutMs.
 */
async function readGreeting(control: ControlConnection, settings: EngineSettings): Promise<FtpReply> {
  const deadline = Date.now() + settings.network.connectTimeoutMs;
  const next = (): Promise<FtpReply> =>
    control.read('the greeting', Math.max(1, deadline - Date.now()), 'network.connectTimeoutMs');
  let greeting = await next();
  while (greeting.code === 120) greeting = await next();
  if (greeting.code !== 220) {
    throw new SessionError(
      'FTPSCTL_ERR_CONNECT',
      `${settings.host} did not greet with 220 (${greeting.code} ${greeting.message})`,
      { reply: greeting, host: settings.host },
    );
  }
  return greeting;
}

async function login(control: ControlConnection, settings: EngineSettings, credentials: Credentials): Promise<void> {
  control.move('authenticating');
  let reply = await control.request(`USER ${settings.user}`);
  if (reply.code === 331) reply = await control.request(`PASS ${credentials.password}`);
  if (reply.code === 230 || reply.code === 202) return;
  if (reply.code === 530 || reply.code === 430 || reply.code === 331) {
    throw new SessionError(
      'FTPSCTL_ERR_AUTH_FAILED',
      `${settings.host} rejected the login of "${settings.user}" (${reply.code} ${reply.message}); check the user and the password source of the profile`,
      { reply, host: settings.host },
    );
  }
  throw new SessionError(
    'FTPSCTL_ERR_AUTH_FAILED',
    `${settings.host} did not accept the login of "${settings.user}" (${reply.code} ${reply.message})`,
    { reply, host: settings.host },
  );
}

/** PBSZ 0 and PROT before every transfer (RFC 4217 §9); PROT P refused is a downgrade. */
async function protect(control: ControlConnection, settings: EngineSettings): Promise<void> {
  const implicit = settings.tls.implicit;
  const pbsz = await control.request('PBSZ 0');
  // Some implicit-mode servers assume PBSZ/PROT and refuse the commands: accept that there.
  if (!isCompletion(pbsz) && !implicit)
    throw new SessionError('FTPSCTL_ERR_PROTOCOL', `${settings.host} refused PBSZ 0 (${pbsz.code} ${pbsz.message})`, {
      reply: pbsz,
      host: settings.host,
    });
  const level = settings.tls.encryptDataChannel ? 'P' : 'C';
  const prot = await control.request(`PROT ${level}`);
  if (isCompletion(prot)) return;
  if (level === 'P' && !(implicit && pbsz.code >= 500 && prot.code >= 500)) {
    throw new SessionError(
      'FTPSCTL_ERR_DOWNGRADE',
      `${settings.host} refused PROT P (${prot.code} ${prot.message}): data would travel unencrypted; ftpsctl does not allow that with tls.encryptDataChannel true`,
      { reply: prot, host: settings.host },
    );
  }
  if (level === 'C') {
    throw new SessionError(
      'FTPSCTL_ERR_COMMAND_FAILED',
      `${settings.host} refused PROT C (${prot.code} ${prot.message}): it requires encrypted data connections; set tls.encryptDataChannel to true`,
      { reply: prot, host: settings.host },
    );
  }
}
