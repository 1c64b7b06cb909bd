/**
 * One command that moves data (RETR, STOR, APPE, LIST, MLSD): passive endpoint, TCP, the
 * command, the data TLS handshake in parallel with the preliminary reply, then the body.
 * The transfer is done only when the data stream ended cleanly AND the final reply is a
 * success, whichever comes first (the 150/226 ordering race, both orders). A negative final
 * reply while data still flows aborts the data connection at once.
 *
 * Replies (RFC 959 §4.2): any number of 1xx may come before the final reply (`150` then
 * `125` is seen in the field); each is skipped. A 421 ends the session (FTPSCTL_ERR_CLOSED).
 *
 * When the data connection fails (a hang-up, a handshake error), the control reply that
 * explains it is read and named in the error. A server that closes the data connection
 * before its TLS handshake finished and then answers 2xx (ftpserverlib does this for an
 * empty file or folder) has sent nothing: a download or listing is empty (for RETR the size
 * check still catches a file that was not), an upload is a failure, since nothing went.
 *
 * When the body stops the transfer itself (a listing limit, more bytes than SIZE announced,
 * a local file error), the data connection is closed and the server's answer to that (426,
 * or 226) is read within REFUSAL_GRACE_MS, so the next command gets its own reply; without
 * one the session is out of step (`onOutOfStep`).
 */
import { Readable, type Duplex } from 'node:stream';
import { isFtpsctlError, isSecurityFailure, SessionError } from '../errors';
import type { ControlConnection } from './control-connection';
import {
  dialData,
  passiveEndpoint,
  secureData,
  type DataSocket,
  type PassiveState,
  type SecureDataOptions,
} from './data-connection';
import type { EngineSettings } from './engine-settings';
import { isCompletion, isNegative, isPreliminary, type FtpReply } from './parse-reply';
import type { Dialer } from './tcp-dialer';
import { DetachableCarrier } from './detachable-carrier';
import { CallerFailure } from './report-progress';

export interface DataTransferContext {
  control: ControlConnection;
  settings: EngineSettings;
  dialer: Dialer;
  passive: PassiveState;
  peerAddress?: string;
  /** Undefined for PROT C. */
  secure?: () => SecureDataOptions;
  /** Called when the transfer failed and its final reply did not come: the control connection is out of step. */
  onOutOfStep?: () => void;
}

export interface DataTransferResult {
  reply: FtpReply;
  encrypted: boolean;
  resumed: boolean;
  /** The server closed the data connection before TLS and answered 2xx: nothing was moved. */
  emptyBeforeTls?: boolean;
}

export interface DataTransferOptions {
  rest?: number;
  /** Which way the bytes go; decides what an empty data connection followed by 2xx means. */
  direction?: 'download' | 'upload';
}

/** How long a failed data connection waits for the command's reply, which usually says why; a reply that arrived is read at once. */
const REFUSAL_GRACE_MS = 1000;
/**
 * Through a proxy an encrypted upload ends with close_notify and the tunnel's FIN is held for
 * the final reply (squid drops data still queued for the server when the client's FIN comes).
 * A server that waits for the FIN instead gets it after this long (ms).
 */
const HELD_FIN_GRACE_MS = 1000;

/** A reply that ends the command unsuccessfully: 421 closes the session, 4xx/5xx refuse, anything else is out of protocol. */
export function replyFailure(reply: FtpReply, command: string, host: string, dataFailure?: Error): SessionError {
  const because = dataFailure ? `; the data connection failed: ${dataFailure.message}` : '';
  const options = { reply, host, ...(dataFailure ? { cause: dataFailure } : {}) };
  if (reply.code === 421)
    return new SessionError(
      'FTPSCTL_ERR_CLOSED',
      `${host} ended the session when answering ${command}: ${reply.code} ${reply.message}${because}`,
      options,
    );
  if (isNegative(reply))
    return new SessionError(
      'FTPSCTL_ERR_COMMAND_FAILED',
      `${host} refused ${command}: ${reply.code} ${reply.message}${because}`,
      options,
    );
  return new SessionError(
    'FTPSCTL_ERR_PROTOCOL',
    `${host} answered ${command} with ${reply.code} ${reply.message}, which is not a final reply to a transfer${because}`,
    options,
  );
}

/** Reads replies until one is not preliminary (1xx). */
async function finalReply(
  control: ControlConnection,
  verb: string,
  first: FtpReply | undefined,
  timeoutMs: number,
): Promise<FtpReply> {
  let reply = first ?? (await control.read(verb, timeoutMs));
  while (isPreliminary(reply)) reply = await control.read(verb, timeoutMs);
  return reply;
}

export async function runDataTransfer(
  context: DataTransferContext,
  command: string,
  body: (socket: Duplex) => Promise<void>,
  options: DataTransferOptions = {},
): Promise<DataTransferResult> {
  const { control, settings } = context;
  const host = settings.host;
  const verb = command.split(' ', 1)[0];
  const direction = options.direction ?? 'download';
  const endpoint = await passiveEndpoint(control, context.passive, {
    host,
    nat: settings.network.nat,
    mode: settings.network.passiveMode,
    ...(context.peerAddress ? { peerAddress: context.peerAddress } : {}),
  });
  const tcp = await dialData({ endpoint, dialer: context.dialer, settings });
  let data: DataSocket | undefined;
  /**
   * The data connection failed: read the reply that explains it (at once if it arrived, else
   * within the grace) and name it. Returns the 2xx of an empty transfer; throws otherwise.
   */
  const explain = async (dataError: unknown, pending: Promise<FtpReply> | FtpReply): Promise<FtpReply> => {
    const error = dataError as Error;
    let reply = await withTimeout(Promise.resolve(pending), REFUSAL_GRACE_MS, () => error).catch(() => undefined);
    while (reply && isPreliminary(reply))
      reply = await withTimeout(control.read(verb), REFUSAL_GRACE_MS, () => error).catch(() => undefined);
    if (isSecurityFailure(dataError)) {
      if (!reply) throw dataError;
      const secure = dataError as SessionError;
      throw new SessionError(
        secure.code,
        `${secure.message} (${host} answered ${verb} with ${reply.code} ${reply.message})`,
        { cause: dataError, reply, host },
      );
    }
    if (reply && !isCompletion(reply)) throw replyFailure(reply, verb, host, error);
    const hangUp = isFtpsctlError(dataError) && dataError.code === 'FTPSCTL_ERR_CLOSED';
    if (reply && hangUp) {
      if (direction === 'download') return reply;
      throw new SessionError(
        'FTPSCTL_ERR_TRANSFER',
        `${host} closed the data connection for ${verb} before its TLS handshake and then answered ${reply.code} ${reply.message}; nothing was uploaded`,
        { cause: dataError, reply, host },
      );
    }
    if (!reply && hangUp) {
      throw new SessionError('FTPSCTL_ERR_CLOSED', `${error.message}, and sent no reply to ${verb} that says why`, {
        cause: dataError,
        host,
      });
    }
    throw dataError;
  };
  try {
    if (options.rest !== undefined && options.rest > 0) {
      const rest = await control.request(`REST ${options.rest}`);
      if (rest.code !== 350) throw replyFailure(rest, `REST ${options.rest}`, host);
    }
    control.send(command);
    // Through a proxy, an encrypted upload ends with close_notify alone; the tunnel's FIN waits
    // for the final reply (the `finally` below), since squid drops unsent data on a client's FIN.
    const holdFin = settings.proxy.enabled && direction === 'upload';
    // Once the TLS layer lets go of the carrier, a late reset of the tunnel must not go unhandled.
    if (holdFin) tcp.on('error', () => undefined);
    const securing: Promise<DataSocket> = context.secure
      ? secureData(holdFin ? new DetachableCarrier<Duplex>(tcp) : tcp, context.secure())
      : Promise.resolve({ socket: tcp, encrypted: false, resumed: false });
    securing.catch(() => undefined);
    // A failed data handshake must not leave us waiting for a reply the server may never send.
    const securingFailed = securing.then(() => new Promise<never>(() => undefined));
    securingFailed.catch(() => undefined);
    const firstReply = control.read(verb);
    let controlFailure: unknown;
    firstReply.catch((error: unknown) => (controlFailure = error));
    let first: FtpReply;
    try {
      first = await Promise.race([firstReply, securingFailed]);
    } catch (error) {
      // Either the control connection failed (no reply will come), or the data connection did.
      if (controlFailure !== undefined && controlFailure === error) throw error;
      const empty = await explain(error, firstReply);
      return await emptyTransfer(empty, body);
    }
    if (!isPreliminary(first) && !isCompletion(first)) throw replyFailure(first, verb, host);
    try {
      data = await securing;
    } catch (error) {
      // 150 came, then the data connection failed: the next reply says why (or 2xx: empty).
      const empty = await explain(error, isCompletion(first) ? first : control.read(verb));
      return await emptyTransfer(empty, body);
    }
    const socket = data.socket;
    let final: FtpReply | undefined = isCompletion(first) ? first : undefined;
    const finalPromise: Promise<FtpReply> = final
      ? Promise.resolve(final)
      : finalReply(control, verb, undefined, Infinity);
    const watched = finalPromise.then(
      (reply) => {
        final = reply;
        if (!isCompletion(reply)) socket.destroy(replyFailure(reply, verb, host));
        return reply;
      },
      (error: unknown) => {
        socket.destroy(error as Error);
        throw error;
      },
    );
    watched.catch(() => undefined);
    const idle = settings.network.idleTimeoutMs;
    const onIdle = (): void => {
      socket.destroy(
        new SessionError(
          'FTPSCTL_ERR_TIMEOUT',
          `the data connection to ${host} was idle for ${idle} ms during ${verb} (network.idleTimeoutMs)`,
          { host },
        ),
      );
    };
    (socket as Duplex & { setTimeout?: (ms: number, cb: () => void) => void }).setTimeout?.(idle, onIdle);
    try {
      await body(socket);
    } catch (error) {
      const before = final as FtpReply | undefined;
      if (before && !isCompletion(before)) throw replyFailure(before, verb, host);
      // Our own stop (a limit, a local file error): the server answers the cut data connection
      // (426, or 226); that reply is read so the next command gets its own. No reply: out of step.
      socket.destroy();
      const after = await withTimeout(watched, REFUSAL_GRACE_MS, () => new Error('no reply')).catch(() => undefined);
      if (!after) context.onOutOfStep?.();
      if (error instanceof SessionError || error instanceof CallerFailure) throw error;
      throw new SessionError(
        'FTPSCTL_ERR_TRANSFER',
        `${verb} with ${host} failed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        { cause: error, host },
      );
    }
    if (holdFin && final === undefined) {
      // A server that takes the FIN, not close_notify, as the end of the upload answers only
      // once the tunnel ends: after a grace long enough for the proxy to pass the data on.
      const answered = await withTimeout(watched, HELD_FIN_GRACE_MS, () => new Error('no reply yet')).catch(
        () => undefined,
      );
      if (!answered) tcp.end();
    }
    const reply = await withTimeout(
      watched,
      settings.network.idleTimeoutMs,
      () =>
        new SessionError(
          'FTPSCTL_ERR_TIMEOUT',
          `${host} sent no final reply to ${verb} within ${settings.network.idleTimeoutMs} ms after the data connection closed`,
          { host },
        ),
    );
    if (!isCompletion(reply)) throw replyFailure(reply, verb, host);
    return { reply, encrypted: data.encrypted, resumed: data.resumed };
  } finally {
    (data?.socket ?? tcp).destroy();
    tcp.destroy();
  }

  async function emptyTransfer(reply: FtpReply, run: (socket: Duplex) => Promise<void>): Promise<DataTransferResult> {
    await run(Readable.from([]) as unknown as Duplex);
    return { reply, encrypted: context.secure !== undefined, resumed: false, emptyBeforeTls: true };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(error()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (reason: unknown) => {
        clearTimeout(timer);
        reject(reason as Error);
      },
    );
  });
}
