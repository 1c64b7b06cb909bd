/**
 * File transfers: RETR into a local file or a stream, STOR/APPE from one (RFC 959 §4.1.3),
 * resumed at an offset (REST, RFC 3659 §5; APPE for uploads, as curl does), each checked as
 * transfer.verify says (transfer-verification.ts), with the SHA-256 of the bytes moved for
 * the audit when asked.
 */
import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SessionError } from '../errors';
import { sizeReply, statPath } from './listing-commands';
import { sha256OfFile } from './local-file-hash';
import { receiveToFile } from './file-receiver';
import { sendFromFile } from './file-sender';
import { openForDownload, openForUpload, type LocalFile } from './local-file';
import type { FtpReply } from './parse-reply';
import type { SessionChannel } from './session-channel';
import { TransferMeter, type ProgressListener } from './transfer-meter';
import { offersSha256, verifyTransfer } from './transfer-verification';
import { callerError, CallerStreamFailure } from './report-progress';

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
  /**
   * put from a file: the folder it must be inside (a mirror's local root). Every folder from
   * there down to the file must be a real folder, not a link, and the file itself is opened
   * without following a link (O_NOFOLLOW): a tree changed under a mirror never sends a file
   * from elsewhere.
   */
  confinedTo?: string;
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

/**
 * Downloads `remotePath` into a local file (created, or continued at `offset`) or a stream.
 * Errors: FTPSCTL_ERR_VERIFY (unverifiable before it starts, more or fewer bytes than SIZE
 * announced, a hash or size mismatch), FTPSCTL_ERR_LOCAL_FILE, and the data transfer's.
 */
export async function getFile(
  channel: SessionChannel,
  remotePath: string,
  destination: string | Writable,
  options: TransferOptions = {},
): Promise<TransferResult> {
  const started = Date.now();
  const host = channel.settings.host;
  const offset = options.offset ?? 0;
  const verify = options.verify ?? channel.settings.transfer.verify;
  // SIZE before RETR is what catches a truncated download: Node 20 can't tell a TLS EOF
  // without close_notify from a clean one (measured: test/engine/close-notify.test.ts), so
  // a download that can't be checked at the level transfer.verify demands is refused.
  let expectedSize = options.remoteSize;
  let sizeRefusal: FtpReply | undefined;
  if (expectedSize === undefined) {
    const answered = await sizeReply(channel, remotePath);
    expectedSize = answered.size;
    if (expectedSize === undefined) sizeRefusal = answered.reply;
  }
  if (expectedSize === undefined && verify !== 'none' && channel.features.has('MLST') && !channel.refusals.mlst) {
    expectedSize = (await statPath(channel, remotePath).catch(() => undefined))?.size;
  }
  const unverifiable =
    expectedSize === undefined && verify !== 'none' && !(verify === 'hash' && offersSha256(channel.features));
  if (unverifiable && sizeRefusal?.code === 550 && channel.features.has('SIZE')) {
    // RFC 3659 §4: a server that offers SIZE answers 550 for a file it does not have (or that is
    // not a plain file): the cause to show, not the verification it stops (proftpd: "No such file
    // or directory", vsftpd: "Could not get file size."). Where RETR would go ahead (verify none,
    // or HASH), its own reply says what is wrong.
    throw new SessionError(
      'FTPSCTL_ERR_COMMAND_FAILED',
      `cannot download ${remotePath}: ${host} answered SIZE with ${sizeRefusal.code} ${sizeRefusal.message}; the file is not there, or is not a plain file (check the path with ftpsctl session ls)`,
      { host, reply: sizeRefusal },
    );
  }
  if (unverifiable) {
    const why = sizeRefusal
      ? `${host} answered SIZE with ${sizeRefusal.code} ${sizeRefusal.message}`
      : `${host} gave no size`;
    throw new SessionError(
      'FTPSCTL_ERR_VERIFY',
      `download of ${remotePath} refused before it started: transfer.verify is ${verify}, and it could not be verified: ${why}, and it offers no HASH SHA-256 or XSHA256 (a cut connection would pass as complete). Ask the server's administrator to enable SIZE (RFC 3659) or HASH; or, where the policy allows it, set transfer.verify to none`,
      { host, ...(sizeRefusal ? { reply: sizeRefusal } : {}) },
    );
  }
  if (expectedSize !== undefined && offset > expectedSize) {
    throw new SessionError(
      'FTPSCTL_ERR_VERIFY',
      `download of ${remotePath} cannot continue at byte ${offset}: the remote file has only ${expectedSize} bytes, so what is already here is not the beginning of it (the remote file was replaced)`,
      { host },
    );
  }
  // Bytes beyond the announced size stop the transfer at the first one.
  const limitBytes = expectedSize !== undefined ? expectedSize - offset : undefined;
  const wantSha256 = options.sha256 === true || (verify === 'hash' && offset === 0);
  if (typeof destination !== 'string' && (destination.writableEnded || destination.destroyed))
    // pipeline() into a stream that has ended waits for it forever: refused before RETR.
    throw new SessionError(
      'FTPSCTL_ERR_USAGE',
      `download of ${remotePath} refused before it started: the destination stream has already ${destination.destroyed ? 'been destroyed' : 'ended'}; give get() a stream that can still be written`,
      { host },
    );
  const local = typeof destination === 'string' ? await openForDownload(destination, offset) : undefined;
  // File legs hash inline (file-receiver.ts says why); stream legs in the TransferMeter.
  const hash = wantSha256 && local ? createHash('sha256') : undefined;
  let received = 0;
  let streamSha256: string | undefined;
  let result: { encrypted: boolean; resumed: boolean };
  try {
    result = await channel.dataTransfer(
      `RETR ${remotePath}`,
      async (socket) => {
        if (local && typeof destination === 'string') {
          received = await receiveToFile(socket, {
            fd: local.fd,
            position: offset,
            file: destination,
            ...(limitBytes !== undefined ? { limitBytes } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            ...(hash ? { hash } : {}),
          });
        } else {
          const meter = new TransferMeter({
            sha256: wantSha256,
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            ...(limitBytes !== undefined ? { expectedBytes: limitBytes, limitBytes } : {}),
          });
          await pipeline(socket, meter, destination as Writable).catch((error: unknown) => {
            // The caller's Writable failed: its own error, and the session goes on (data-transfer.ts reads the 426).
            throw (destination as Writable).errored === error ? new CallerStreamFailure(error) : error;
          });
          received = meter.bytes;
          streamSha256 = meter.digest();
        }
      },
      { rest: offset, direction: 'download' },
    );
    if (local && typeof destination === 'string') await local.assertStillAt(destination);
    await local?.close();
  } catch (error) {
    await local?.close().catch(() => undefined);
    if (error instanceof SessionError && error.code === 'FTPSCTL_ERR_VERIFY') {
      // The limit's error (file-receiver, transfer-meter) doesn't know the path: named here.
      throw new SessionError('FTPSCTL_ERR_VERIFY', `download of ${remotePath}: ${error.message}`, {
        cause: error,
        host,
      });
    }
    throw callerError(error, host);
  }
  const transfer: TransferResult = {
    direction: 'download',
    remotePath,
    bytes: received,
    offset,
    durationMs: 0,
    verifiedBy: 'none',
    encrypted: result.encrypted,
    sessionResumed: result.resumed,
  };
  const moved = hash ? hash.digest('hex') : streamSha256;
  setMovedSha256(transfer, moved);
  if (expectedSize !== undefined && offset + received !== expectedSize) {
    throw new SessionError(
      'FTPSCTL_ERR_VERIFY',
      `download of ${remotePath} is incomplete: ${offset + received} of ${expectedSize} bytes arrived`,
      { host },
    );
  }
  transfer.verifiedBy = await verifyTransfer(channel, {
    mode: verify,
    remotePath,
    remoteSize: expectedSize,
    localSize: offset + received,
    localSha256: async () => {
      if (offset === 0) return moved;
      // Resumed: only hash verification reads the part already on disk, and then the record names the whole file.
      if (typeof destination !== 'string') return undefined;
      const whole = await sha256OfFile(destination);
      transfer.sha256 = whole;
      delete transfer.sha256Range;
      return whole;
    },
  });
  transfer.durationMs = Date.now() - started;
  return transfer;
}

/**
 * Uploads a local file (from `offset` when resuming) or a stream to `remotePath`; `append`
 * sends APPE and skips verification (the remote file holds more than this upload).
 * Errors: FTPSCTL_ERR_LOCAL_FILE, FTPSCTL_ERR_VERIFY (hash or size mismatch), and the data transfer's.
 */
export async function putFile(
  channel: SessionChannel,
  source: string | Readable,
  remotePath: string,
  options: TransferOptions & { append?: boolean } = {},
): Promise<TransferResult> {
  const started = Date.now();
  const offset = options.offset ?? 0;
  const verify = options.verify ?? channel.settings.transfer.verify;
  const local =
    typeof source === 'string'
      ? await openForUpload(source, options.confinedTo !== undefined ? { confinedTo: options.confinedTo } : {})
      : undefined;
  if (local && offset > local.size) {
    await local.close().catch(() => undefined);
    throw new SessionError(
      'FTPSCTL_ERR_VERIFY',
      `upload of ${source as string} to ${remotePath} cannot continue at byte ${offset}: the local file has only ${local.size} bytes, so the remote file is not the beginning of it; upload without resuming to replace it`,
      { host: channel.settings.host },
    );
  }
  const expectedBytes = local ? Math.max(0, local.size - offset) : undefined;
  const wantSha256 = options.sha256 === true || (verify === 'hash' && offset === 0);
  const hash = wantSha256 && local ? createHash('sha256') : undefined;
  // Resume with APPE, as curl does: REST + STOR is refused by servers that forbid store
  // restarts (proftpd's default, 451), and APPE at the remote size means the same.
  const useAppend = options.append === true || offset > 0;
  const command = `${useAppend ? 'APPE' : 'STOR'} ${remotePath}`;
  let sent = 0;
  let streamSha256: string | undefined;
  let result: { encrypted: boolean; resumed: boolean };
  try {
    result = await channel.dataTransfer(
      command,
      async (socket) => {
        if (local && typeof source === 'string') {
          sent = await sendFromFile(socket, {
            fd: local.fd,
            position: offset,
            file: source,
            ...(expectedBytes !== undefined ? { expectedBytes } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            ...(hash ? { hash } : {}),
          });
        } else {
          const meter = new TransferMeter({
            sha256: wantSha256,
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          });
          await pipeline(source as Readable, meter, socket).catch((error: unknown) => {
            throw (source as Readable).errored === error ? new CallerStreamFailure(error) : error;
          });
          sent = meter.bytes;
          streamSha256 = meter.digest();
        }
      },
      { ...(useAppend ? {} : { rest: offset }), direction: 'upload' },
    );
  } catch (error) {
    await local?.close().catch(() => undefined);
    throw callerError(error, channel.settings.host);
  }
  // After a resumed upload the hash saw only the tail: the record says which bytes it covers.
  const moved = hash ? hash.digest('hex') : streamSha256;
  try {
    // The bytes sent must be the file as it was opened: not cut short, not half rewritten.
    if (local && typeof source === 'string') await assertSentAsIs(local, source, sent, offset, moved);
  } finally {
    await local?.close().catch(() => undefined);
  }
  const transfer: TransferResult = {
    direction: 'upload',
    remotePath,
    bytes: sent,
    offset,
    durationMs: 0,
    verifiedBy: 'none',
    encrypted: result.encrypted,
    sessionResumed: result.resumed,
  };
  setMovedSha256(transfer, moved);
  if (!options.append) {
    const remoteSize = verify === 'none' ? undefined : (await sizeReply(channel, remotePath)).size;
    transfer.verifiedBy = await verifyTransfer(channel, {
      mode: verify,
      remotePath,
      remoteSize,
      localSize: offset + sent,
      localSha256: async () => {
        if (offset === 0) return moved;
        if (typeof source !== 'string') return undefined;
        const whole = await sha256OfFile(source);
        transfer.sha256 = whole;
        delete transfer.sha256Range;
        return whole;
      },
    });
  }
  transfer.durationMs = Date.now() - started;
  return transfer;
}

/** The hash of the bytes moved; after a resume it covers only them, and says so. */
function setMovedSha256(transfer: TransferResult, moved: string | undefined): void {
  if (moved === undefined) return;
  transfer.sha256 = moved;
  if (transfer.offset > 0) transfer.sha256Range = { start: transfer.offset, end: transfer.offset + transfer.bytes };
}

/**
 * FTPSCTL_ERR_LOCAL_FILE when the local file changed while it was sent (local-file.ts,
 * changeSinceOpen): the server holds bytes that are no version of it. A file whose modification
 * time alone moved (a `touch`, a backup tool) is compared by SHA-256 with what was sent, when
 * the whole file was hashed: the same bytes are no change.
 */
async function assertSentAsIs(
  local: LocalFile,
  file: string,
  sent: number,
  offset: number,
  sentSha256: string | undefined,
): Promise<void> {
  let change = await local.changeSinceOpen(sent, offset);
  if (change === 'touched')
    change =
      offset === 0 && sentSha256 !== undefined && (await sha256OfFile(file).catch(() => undefined)) === sentSha256
        ? undefined
        : 'it was written to while it was read';
  if (change === undefined) return;
  throw new SessionError(
    'FTPSCTL_ERR_LOCAL_FILE',
    `the local file ${file} changed while it was uploaded (${change}): the server holds the bytes read, which are no version of it; upload it again once nothing writes to it`,
  );
}
