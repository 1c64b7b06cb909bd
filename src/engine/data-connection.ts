/**
 * Opens one passive data connection: EPSV (RFC 2428) or PASV (RFC 959) as
 * `network.passiveMode` says (auto: EPSV, then PASV for the rest of the session once EPSV is
 * refused or its 229 can't be parsed), the NAT rule of DESIGN.md on PASV addresses, and for PROT P a TLS handshake that resumes the
 * control connection's session (vsftpd and proftpd refuse data connections that don't).
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ConnectionOptions } from 'node:tls';
import { SessionError } from '../errors';
import type { ControlConnection } from './control-connection';
import type { EngineSettings } from './engine-settings';
import { parseEpsvReply, parsePasvReply } from './parse-passive';
import { isNegative, type FtpReply } from './parse-reply';
import { normaliseAddress, type Dialer } from './tcp-dialer';
import { handshake, type ServerCertificateInfo } from './tls-handshake';

export interface DataEndpoint {
  host: string;
  port: number;
  /** PASV named another address and `network.nat` sent us to the control peer instead. */
  natRewritten: boolean;
}

export interface PassiveState {
  /** Cleared after the server refused EPSV once, so later transfers go straight to PASV. */
  epsv: boolean;
}

export type PassiveMode = 'auto' | 'epsv' | 'pasv';

/** 421 (RFC 959: service not available, closing control connection) ends the session whatever was asked. */
export function closingReplyError(reply: FtpReply, verb: string, host: string): SessionError | undefined {
  if (reply.code !== 421) return undefined;
  return new SessionError(
    'FTPSCTL_ERR_CLOSED',
    `${host} ended the session when answering ${verb}: ${reply.code} ${reply.message}`,
    { reply, host },
  );
}

export interface DataSocket {
  socket: Duplex;
  encrypted: boolean;
  resumed: boolean;
}

/** Waits before asking again after a transient (4yz) answer to EPSV/PASV, in milliseconds. */
export const PASSIVE_RETRY_DELAYS_MS = [50, 200, 500];

/**
 * EPSV or PASV, asked again after a transient negative reply (RFC 959 §4.2: 4yz, such as
 * `425 Can't open passive connection: Address already in use` from a server out of passive
 * ports). A transient reply never changes the passive mode of the session; after the last try
 * it is an error that says it was transient. 421 ends the session as for every command.
 */
async function requestPassive(control: ControlConnection, verb: 'EPSV' | 'PASV', host: string): Promise<FtpReply> {
  for (let attempt = 0; ; attempt++) {
    const reply = await control.request(verb);
    const closing = closingReplyError(reply, verb, host);
    if (closing) throw closing;
    if (reply.code < 400 || reply.code >= 500) return reply;
    const delay = PASSIVE_RETRY_DELAYS_MS[attempt];
    if (delay === undefined) {
      throw new SessionError(
        'FTPSCTL_ERR_COMMAND_FAILED',
        `${host} could not open a data connection (${verb}: ${reply.code} ${reply.message}), a transient refusal, ${attempt + 1} times; the server may be out of passive ports: try again later, or ask its administrator to widen the passive port range`,
        { reply, host },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/** Where the data connection goes, decided from the EPSV/PASV reply, `network.passiveMode` and the NAT setting. */
export async function passiveEndpoint(
  control: ControlConnection,
  state: PassiveState,
  target: { host: string; peerAddress?: string; nat: boolean; mode?: PassiveMode },
): Promise<DataEndpoint> {
  const mode = target.mode ?? 'auto';
  if (mode !== 'pasv' && (state.epsv || mode === 'epsv')) {
    const reply = await requestPassive(control, 'EPSV', target.host);
    const parsed = parseEpsvReply(reply);
    if (!('problem' in parsed))
      return { host: target.peerAddress ?? target.host, port: parsed.port, natRewritten: false };
    if (mode === 'epsv') {
      const refused = isNegative(reply);
      throw new SessionError(
        refused ? 'FTPSCTL_ERR_COMMAND_FAILED' : 'FTPSCTL_ERR_PROTOCOL',
        `${target.host}: ${parsed.problem}; network.passiveMode is epsv, so ftpsctl does not try PASV: set it to auto (or pasv) for this server`,
        { reply, host: target.host },
      );
    }
    // Refused (500/502/504/522), or a 229 we can't read (a missing delimiter): PASV from now on.
    state.epsv = false;
  }
  const reply = await requestPassive(control, 'PASV', target.host);
  const parsed = parsePasvReply(reply);
  if ('problem' in parsed)
    throw new SessionError(
      reply.code === 227 ? 'FTPSCTL_ERR_PROTOCOL' : 'FTPSCTL_ERR_COMMAND_FAILED',
      `${target.host}: ${parsed.problem}`,
      { reply, host: target.host },
    );
  const controlPeer = target.peerAddress ?? target.host;
  if (parsed.host === controlPeer) return { host: parsed.host, port: parsed.port, natRewritten: false };
  if (target.nat) return { host: controlPeer, port: parsed.port, natRewritten: true };
  if (target.peerAddress === undefined) {
    // Through a proxy the peer's address is not known here. The data connection goes to the
    // control host through the proxy whatever PASV says; network.nat false still refuses a PASV
    // address that is not the control host's: its IP address, or what its name resolves to here.
    // A name that does not resolve here (only the proxy resolves) can't be compared: the control host is used.
    const name = isIP(target.host) === 0;
    let known = name ? await resolveHere(target.host) : [target.host];
    // A remembered answer that disagrees may be stale (the name moved): asked once more before refusing.
    if (name && known !== undefined && !known.includes(parsed.host))
      known = (await resolveHere(target.host, true)) ?? known;
    if (known === undefined || known.includes(parsed.host))
      return { host: controlPeer, port: parsed.port, natRewritten: known === undefined };
    throw new SessionError(
      'FTPSCTL_ERR_PASV_ADDRESS',
      `${target.host} asked for a data connection to ${parsed.host}:${parsed.port}, which is not the control host's address (${known.join(', ')}); through the proxy ftpsctl would use the control host, but network.nat is false. If the server is behind NAT, set network.nat to true`,
      { reply, host: target.host },
    );
  }
  throw new SessionError(
    'FTPSCTL_ERR_PASV_ADDRESS',
    `${target.host} asked for a data connection to ${parsed.host}:${parsed.port}, not to the control peer ${controlPeer}; ftpsctl never connects to a third host. If the server is behind NAT, set network.nat to true to use ${controlPeer} instead`,
    { reply, host: target.host },
  );
}

/** Answers remembered for a minute: a mirror's PASV transfers ask once, not once per file. */
const resolvedHere = new Map<string, { at: number; addresses: Promise<string[] | undefined> }>();
const RESOLVED_FOR_MS = 60_000;
/** Through a proxy the local resolver may be slow or blocked: its answer is waited for this long at most. */
const RESOLVE_WAIT_MS = 2_000;

/**
 * The addresses `host` resolves to here (IPv4-mapped as IPv4), or undefined when it does not
 * resolve (in time). Only answers are remembered, never a failure or a timeout; `fresh` asks again.
 */
function resolveHere(host: string, fresh = false): Promise<string[] | undefined> {
  const known = resolvedHere.get(host);
  if (!fresh && known && Date.now() - known.at < RESOLVED_FOR_MS) return known.addresses;
  let timer: NodeJS.Timeout | undefined;
  const addresses = Promise.race([
    lookup(host, { all: true }).then(
      (entries) => entries.map((entry) => normaliseAddress(entry.address)),
      () => undefined,
    ),
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), RESOLVE_WAIT_MS))),
  ]).finally(() => clearTimeout(timer));
  resolvedHere.set(host, { at: Date.now(), addresses });
  void addresses.then((answer) => {
    if (answer === undefined && resolvedHere.get(host)?.addresses === addresses) resolvedHere.delete(host);
  });
  return addresses;
}

export interface DataConnectOptions {
  endpoint: DataEndpoint;
  dialer: Dialer;
  settings: EngineSettings;
}

/** The TCP part, before the transfer command: servers start data TLS only after RETR/STOR/LIST. */
export async function dialData(options: DataConnectOptions): Promise<Duplex> {
  const dialed = await options.dialer(
    { host: options.endpoint.host, port: options.endpoint.port, purpose: 'data' },
    options.settings.network.connectTimeoutMs,
  );
  return dialed.socket;
}

export interface SecureDataOptions {
  settings: EngineSettings;
  tlsOptions: ConnectionOptions;
  /** The control connection's checked server certificate: a data connection must present the same one. */
  controlCertificate: ServerCertificateInfo;
  onSession: (session: Buffer) => void;
}

/** The TLS part of a PROT P data connection, run while the transfer command's 150 is awaited. */
export async function secureData(socket: Duplex, options: SecureDataOptions): Promise<DataSocket> {
  const { settings } = options;
  const result = await handshake(socket, options.tlsOptions, {
    settings: settings.tls,
    host: settings.host,
    channel: 'data',
    timeoutMs: settings.network.connectTimeoutMs,
    onSession: options.onSession,
    resumedFrom: { certificate: options.controlCertificate },
  });
  if (result.certificate.sha256 !== options.controlCertificate.sha256) {
    result.socket.destroy();
    throw new SessionError(
      'FTPSCTL_ERR_PIN_MISMATCH',
      `the data connection to ${settings.host} presented another certificate (SHA-256 ${result.certificate.sha256}) than the control connection; refusing it`,
      { host: settings.host },
    );
  }
  return { socket: result.socket, encrypted: true, resumed: result.resumed };
}
