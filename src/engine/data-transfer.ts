/**
 * One command that moves data (RETR, STOR, APPE, LIST, MLSD): passive endpoint, TCP, the
 * command, the data TLS handshake in parallel with the preliminary reply, then the body.
 * The transfer is done only when the data stream ended cleanly AND the final reply is a
 * success, whichever comes first (the 150/226 ordering race, both orders). A negative final
 * reply while data still flows aborts the data connection at once.
 */
import type { Duplex } from 'node:stream';
import { ExitCode, exitCodeFor, isFtpsctlError, SessionError } from '../errors';
import type { ControlConnection } from './control-connection';
import { dialData, passiveEndpoint, secureData, type DataSocket, type PassiveState, type SecureDataOptions } from './data-connection';
import type { EngineSettings } from './engine-settings';
import { isCompletion, isNegative, isPreliminary, type FtpReply } from './parse-reply';
import type { Dialer } from './tcp-dialer';

export interface DataTransferContext {
  control: ControlConnection;
  settings: EngineSettings;
  dialer: Dialer;
  passive: PassiveState;
  peerAddress?: string;
  /** Undefined for PROT C. */
  secure?: () => SecureDataOptions;
}

export interface DataTransferResult {
  reply: FtpReply;
  encrypted: boolean;
  resumed: boolean;
}

function isSecurityFailure(error: unknown): boolean {
  return isFtpsctlError(error) && exitCodeFor(error.code) === ExitCode.securityFailure;
}

/** How long a failed data handshake waits for the command's reply, which usually says why. */
const REFUSAL_GRACE_MS = 1000;

function failed(reply: FtpReply, command: string, host: string): SessionError {
  return new SessionError('FTPSCTL_ERR_COMMAND_FAILED', `${host} refused ${command}: ${reply.code} ${reply.message}`, { reply, host });
}

export async function runDataTransfer(context: DataTransferContext, command: string, body: (socket: Duplex) => Promise<void>, options: { rest?: number } = {}): Promise<DataTransferResult> {
  const { control, settings } = context;
  const host = settings.host;
  const verb = command.split(' ', 1)[0];
  const endpoint = await passiveEndpoint(control, context.passive, { host, nat: settings.network.nat, ...(context.peerAddress ? { peerAddress: context.peerAddress } : {}) });
  const tcp = await dialData({ endpoint, dialer: context.dialer, settings });
  let data: DataSocket | undefined;
  try {
    if (options.rest !== undefined && options.rest > 0) {
      const rest = await control.request(`REST ${options.rest}`);
      if (rest.code !== 350) throw failed(rest, `REST ${options.rest}`, host);
    }
    control.send(command);
    const securing: Promise<DataSocket> = context.secure ? secureData(tcp, context.secure()) : Promise.resolve({ socket: tcp, encrypted: false, resumed: false });
    // A failed data handshake must not leave us waiting for a reply the server may never send.
    const securingFailed = securing.then(() => new Promise<never>(() => undefined));
    securingFailed.catch(() => undefined);
    const firstReply = control.read(verb);
    firstReply.catch(() => undefined);
    const first = await Promise.race([firstReply, securingFailed]).catch(async (error: unknown) => {
      // A certificate or strength failure on a data connection is a security failure, whatever the server says next.
      if (isSecurityFailure(error)) throw error;
      // A server that refuses the command closes the data connection too: its reply says why.
      const reply = await withTimeout(firstReply, REFUSAL_GRACE_MS, () => error as Error).catch(() => undefined);
      if (reply && isNegative(reply)) throw failed(reply, verb, host);
      throw error;
    });
    if (isNegative(first)) throw failed(first, verb, host);
    if (!isPreliminary(first) && !isCompletion(first)) throw new SessionError('FTPSCTL_ERR_PROTOCOL', `${host} answered ${verb} with ${first.code} ${first.message}`, { reply: first, host });
    data = await securing;
    const socket = data.socket;
    let finalReply: FtpReply | undefined = isCompletion(first) ? first : undefined;
    const final: Promise<FtpReply> = finalReply ? Promise.resolve(finalReply) : control.read(verb, Infinity);
    const watched = final.then(
      (reply) => {
        finalReply = reply;
        if (!isCompletion(reply)) socket.destroy(failed(reply, verb, host));
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
      socket.destroy(new SessionError('FTPSCTL_ERR_TIMEOUT', `the data connection to ${host} was idle for ${idle} ms during ${verb} (network.idleTimeoutMs)`, { host }));
    };
    (socket as Duplex & { setTimeout?: (ms: number, cb: () => void) => void }).setTimeout?.(idle, onIdle);
    try {
      await body(socket);
    } catch (error) {
      const reply = finalReply as FtpReply | undefined;
      if (reply && !isCompletion(reply)) throw failed(reply, verb, host);
      if (error instanceof SessionError) throw error;
      throw new SessionError('FTPSCTL_ERR_TRANSFER', `${verb} with ${host} failed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error, host });
    }
    const reply = await withTimeout(watched, settings.network.idleTimeoutMs, () => new SessionError('FTPSCTL_ERR_TIMEOUT', `${host} sent no final reply to ${verb} within ${settings.network.idleTimeoutMs} ms after the data connection closed`, { host }));
    if (!isCompletion(reply)) throw failed(reply, verb, host);
    return { reply, encrypted: data.encrypted, resumed: data.resumed };
  } finally {
    (data?.socket ?? tcp).destroy();
    tcp.destroy();
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
