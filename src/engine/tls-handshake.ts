/**
 * One TLS handshake on a control or data connection, and the checks that follow it before a
 * single application byte is written: pinned fingerprints, the negotiated version, cipher
 * strength and FIPS algorithms. On any failure both sockets are destroyed.
 */
import { connect as tlsConnect, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { SessionError } from '../errors';
import { pinMatches } from './certificate-pins';
import type { EngineSettings } from './engine-settings';
import { classifyTlsError } from './tls-errors';
import { negotiatedProblem } from './tls-profile';

export interface ServerCertificateInfo {
  subject: string;
  issuer: string;
  notAfter: string;
  sha256: string;
}

export interface HandshakeResult {
  socket: TLSSocket;
  version: string;
  cipher: string;
  group?: string;
  certificate: ServerCertificateInfo;
  resumed: boolean;
}

export interface HandshakeOptions {
  settings: EngineSettings['tls'];
  host: string;
  channel: 'control' | 'data';
  timeoutMs: number;
  /** Called with every session (ticket) the server issues, for data-channel resumption. */
  onSession?: (session: Buffer) => void;
  /** Data connections: the control connection's checked certificate, which a resumed session stands for. */
  resumedFrom?: ResumedFrom;
}

function distinguishedName(name: Record<string, string | string[]> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

export async function handshake(socket: Duplex, connectOptions: ConnectionOptions, options: HandshakeOptions): Promise<HandshakeResult> {
  const secure = tlsConnect({ ...connectOptions, socket });
  // A session (ticket) is only worth keeping from a server that passed every check: resuming
  // it later skips the certificate checks, so sessions are held back until they pass.
  const early: Buffer[] = [];
  const holdBack = (session: Buffer): void => void early.push(session);
  if (options.onSession) secure.on('session', holdBack);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SessionError('FTPSCTL_ERR_TIMEOUT', `TLS handshake with ${options.host} (${options.channel} connection) took longer than ${options.timeoutMs} ms`, { host: options.host })), options.timeoutMs);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      secure.once('error', (error) => {
        clearTimeout(timer);
        reject(error instanceof SessionError ? error : classifyTlsError(error, options.host, options.channel));
      });
    });
    const result = checkNegotiated(secure, options);
    if (options.onSession) {
      secure.off('session', holdBack);
      for (const session of early) options.onSession(session);
      secure.on('session', options.onSession);
    }
    return result;
  } catch (error) {
    secure.destroy();
    socket.destroy();
    throw error;
  }
}

export interface ResumedFrom {
  /** The certificate checked when the resumed session was first established. */
  certificate: ServerCertificateInfo;
}

function checkNegotiated(secure: TLSSocket, options: HandshakeOptions): HandshakeResult {
  const { settings, host, channel } = options;
  const resumed = secure.isSessionReused();
  const peer = secure.getPeerCertificate(false);
  if (resumed && options.resumedFrom && (!peer || !peer.fingerprint256)) {
    // A resumed TLS 1.3 session carries no certificate to show: it is the one checked on the control connection.
    return finish(secure, settings, host, channel, options.resumedFrom.certificate, undefined);
  }
  if (!peer || !peer.fingerprint256) {
    throw new SessionError('FTPSCTL_ERR_CERT_UNTRUSTED', `TLS with ${host} (${channel} connection): the server sent no certificate`, { host });
  }
  const pins = settings.pki.pinnedSha256 ?? [];
  if (pins.length > 0 && !pinMatches(pins, peer.fingerprint256)) {
    throw new SessionError('FTPSCTL_ERR_PIN_MISMATCH', `the certificate of ${host} (SHA-256 ${peer.fingerprint256}) matches none of tls.pki.pinnedSha256; if the server's certificate was replaced on purpose, pin the new fingerprint`, { host });
  }
  // Fail closed: validation off is only allowed with pins (the schema and resolver say so too).
  if (!settings.validateCertificateChain && pins.length === 0) {
    throw new SessionError('FTPSCTL_ERR_CERT_UNTRUSTED', `refusing ${host}: certificate validation is off and no pinned fingerprint authenticates the server`, { host });
  }
  return finish(secure, settings, host, channel, {
    subject: distinguishedName(peer.subject as unknown as Record<string, string>),
    issuer: distinguishedName(peer.issuer as unknown as Record<string, string>),
    notAfter: new Date(peer.valid_to).toISOString(),
    sha256: peer.fingerprint256,
  }, peer);
}

function finish(secure: TLSSocket, settings: HandshakeOptions['settings'], host: string, channel: 'control' | 'data', certificate: ServerCertificateInfo, peer: PeerCertificate | undefined): HandshakeResult {
  const cipher = secure.getCipher();
  const ephemeral = secure.getEphemeralKeyInfo();
  const group = ephemeral && 'name' in ephemeral && typeof ephemeral.name === 'string' ? ephemeral.name : undefined;
  const publicKeyBits = peer && typeof peer.bits === 'number' ? peer.bits : undefined;
  const negotiated = {
    protocol: secure.getProtocol() ?? 'unknown',
    cipherName: cipher.standardName || cipher.name,
    ...(group ? { group } : {}),
    ...(publicKeyBits !== undefined ? { serverKeyBits: publicKeyBits, serverKeyType: peer?.modulus ? 'RSA' : 'EC' } : {}),
  };
  const problem = negotiatedProblem(settings, negotiated);
  if (problem) throw new SessionError('FTPSCTL_ERR_TLS_STRENGTH', `TLS with ${host} (${channel} connection) does not meet the settings: ${problem}`, { host });
  return {
    socket: secure,
    version: negotiated.protocol,
    cipher: negotiated.cipherName,
    ...(group ? { group } : {}),
    certificate,
    resumed: secure.isSessionReused(),
  };
}
