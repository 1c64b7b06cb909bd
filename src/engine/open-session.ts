/**
 * The login sequence, in curl's order: dial (directly, or through the proxy) -> TLS
 * (implicit) or AUTH TLS (RFC 4217 §4) -> USER/PASS -> PBSZ 0 -> PROT (RFC 4217 §9) -> FEAT
 * (RFC 2389), OPTS UTF8 ON (RFC 2640) -> TYPE I. With tls.enabled there is no path to plain
 * FTP: a refused AUTH TLS or PROT P ends the session with a security error. CCC, which needs
 * the session's commands, is ftps-session.ts's last step.
 */
import { getFips } from 'node:crypto';
import type { ConnectionOptions } from 'node:tls';
import { FtpsctlError, SessionError } from '../errors';
import { ControlConnection, type ProtocolLogLine } from './control-connection';
import { closingReplyError } from './data-connection';
import { protocolDebugLog } from './debug-log';
import type { Credentials, EngineSettings, FipsState } from './engine-settings';
import { nameCodec } from './name-codec';
import { parseFeatures, type Features } from './parse-features';
import { isCompletion, type FtpReply } from './parse-reply';
import { proxyDialer } from './proxy/proxy-dialer';
import { checkedDialer, checkedProxyTargets, directDialer, type Dialer, type DialedAddressCheck } from './tcp-dialer';
import type { HandshakeResult } from './tls-handshake';
import { tlsConnectOptions } from './tls-options';
import { readTrustMaterial, type TrustMaterial } from './trust-material';
import { crlIssuerNames } from './certificate-der';

export interface OpenSessionOptions {
  dialer?: Dialer;
  log?: (entry: ProtocolLogLine) => void;
  /** How long to wait for the server's close_notify after CCC. */
  cccWaitMs?: number;
  /** Checks every address about to be dialed, control and data (tcp-dialer.ts); throws to refuse. */
  checkDialedAddress?: DialedAddressCheck;
}

/**
 * The latest TLS session of the control channel (or of a data channel), which the next data
 * connection resumes: TLS 1.3 tickets arrive after the handshake and are single-use, and
 * vsftpd (`require_ssl_reuse`) and proftpd refuse data connections that don't resume.
 */
export interface TlsSessionStore {
  latest?: Buffer;
}

/** A control connection that is logged in, protected and in TYPE I, with what it took to get there. */
export interface OpenedControl {
  control: ControlConnection;
  /** Dials every connection of the session, data ones included (proxy and address checks applied). */
  dialer: Dialer;
  /** The address the control connection reached (data connections must go there: NAT rules). */
  peerAddress?: string;
  material: TrustMaterial;
  /** Undefined when tls.enabled is false. */
  controlTls?: HandshakeResult;
  /** The 220 greeting's text. */
  greeting: string;
  features: Features;
  tlsSessions: TlsSessionStore;
}

/** How the FIPS promise of a session is kept (DESIGN.md): `validated-module` only when crypto.getFips() is on. */
export function fipsState(fipsMode: boolean): FipsState {
  if (!fipsMode) return 'off';
  return getFips() === 1 ? 'validated-module' : 'approved-algorithms-only';
}

/**
 * Connects, secures and logs in. Errors: FTPSCTL_ERR_FIPS_UNAVAILABLE, FTPSCTL_ERR_CONNECT,
 * FTPSCTL_ERR_TLS_REFUSED, FTPSCTL_ERR_DOWNGRADE, FTPSCTL_ERR_AUTH_FAILED, the TLS and dial
 * errors, and FTPSCTL_ERR_INTERNAL for anything unexpected; the connection is closed on any error.
 */
export async function openControl(
  settings: EngineSettings,
  credentials: Credentials,
  options: OpenSessionOptions = {},
): Promise<OpenedControl> {
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
  const dialer = await sessionDialer(settings, credentials, options);
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
  const tlsSessions: TlsSessionStore = {};
  const connectOptions = (): ConnectionOptions =>
    tlsConnectOptions({
      tls,
      material,
      ...(credentials.clientKeyPassphrase !== undefined
        ? { clientKeyPassphrase: credentials.clientKeyPassphrase }
        : {}),
    });
  // Tickets that arrive later (TLS 1.3 sends them after the handshake) keep coming to the store.
  const handshakeOptions = {
    settings: tls,
    host: settings.host,
    channel: 'control' as const,
    timeoutMs: settings.network.connectTimeoutMs,
    onSession: (session: Buffer) => (tlsSessions.latest = session),
    crlIssuers: () => material.crlPems.flatMap(crlIssuerNames),
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
    return {
      control,
      dialer,
      ...(dialed.peerAddress !== undefined ? { peerAddress: dialed.peerAddress } : {}),
      material,
      ...(hs ? { controlTls: hs } : {}),
      greeting: greeting.message,
      features,
      tlsSessions,
    };
  } catch (error) {
    control.close();
    throw unexpectedAsInternal(error, settings.host);
  }
}

/** An FtpsctlError as it is; anything else (a bug, an unexpected exception) as FTPSCTL_ERR_INTERNAL. */
export function unexpectedAsInternal(error: unknown, host: string): FtpsctlError {
  if (error instanceof FtpsctlError) return error;
  return new SessionError(
    'FTPSCTL_ERR_INTERNAL',
    `session with ${host} failed unexpectedly: ${(error as Error).message}`,
    { cause: error, host },
  );
}

/**
 * The dialer of every connection of the session. Through a proxy every connection, control
 * and data, is a tunnel; never a direct one. Every address dialed passes
 * options.checkDialedAddress, when given.
 */
async function sessionDialer(
  settings: EngineSettings,
  credentials: Credentials,
  options: OpenSessionOptions,
): Promise<Dialer> {
  const check = options.checkDialedAddress;
  const base = options.dialer ?? directDialer;
  if (settings.proxy.enabled) {
    // The proxy's own address is checked too (proxy.host rules by address), as it is dialed.
    const toProxy = check ? checkedDialer(base, (address, _purpose, via) => check(address, 'proxy', via)) : base;
    const tunnel = await proxyDialer(settings, credentials, toProxy);
    return check ? checkedProxyTargets(tunnel, check) : tunnel;
  }
  return check ? checkedDialer(base, check) : base;
}

/**
 * The greeting: 220, after any number of `120 ready in n minutes` (RFC 959 §4.2); all of it
 * within network.connectTimeoutMs.
 */
async function readGreeting(control: ControlConnection, settings: EngineSettings): Promise<FtpReply> {
  const deadline = Date.now() + settings.network.connectTimeoutMs;
  const next = (): Promise<FtpReply> =>
    control
      .read('the greeting', Math.max(1, deadline - Date.now()), 'network.connectTimeoutMs')
      .catch((error: unknown) => {
        // An implicit-TLS server (990) waits for a ClientHello and never greets in clear: say so.
        if (!settings.tls.implicit && error instanceof SessionError && error.code === 'FTPSCTL_ERR_TIMEOUT')
          throw new SessionError(
            error.code,
            `${error.message}; a server that uses implicit TLS (usually port 990) waits for the TLS handshake and never greets in clear: if it is one, set tls.implicit to true`,
            { cause: error, ...(error.host ? { host: error.host } : {}) },
          );
        throw error;
      });
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

/** USER/PASS (RFC 959 §4.1.1); the password goes only to the wire, masked in the protocol log. */
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
