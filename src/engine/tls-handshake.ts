/**
 * One TLS handshake on a control or data connection, and the checks that follow it before a
 * single application byte is written: pinned fingerprints, the negotiated version, cipher
 * strength and FIPS algorithms. On any failure both sockets are destroyed.
 */
import { X509Certificate } from 'node:crypto';
import {
  connect as tlsConnect,
  type ConnectionOptions,
  type DetailedPeerCertificate,
  type PeerCertificate,
  type TLSSocket,
} from 'node:tls';
import type { Duplex } from 'node:stream';
import { SessionError } from '../errors';
import { checkPins, hasPins, publicKeyPin } from './certificate-pins';
import type { EngineSettings } from './engine-settings';
import { serverCertificateProblem } from './server-certificate-rules';
import { classifyTlsError } from './tls-errors';
import { negotiatedProblem } from './tls-profile';

export interface ServerCertificateInfo {
  subject: string;
  issuer: string;
  notAfter: string;
  /** SHA-256 of the certificate (DER), colon-separated hex: the tls.pki.pinnedSha256 form. */
  sha256: string;
  /** curl's --pinnedpubkey form, `sha256//BASE64` of the SubjectPublicKeyInfo: the tls.pki.pinnedPublicKeySha256 form. */
  publicKeySha256?: string;
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
  /** The issuers of the CRLs in the secure context, for the error when one is missing (read only then). */
  crlIssuers?: () => readonly string[];
}

function distinguishedName(name: Record<string, string | string[]> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');
}

export async function handshake(
  socket: Duplex,
  connectOptions: ConnectionOptions,
  options: HandshakeOptions,
): Promise<HandshakeResult> {
  const dataConnection = options.resumedFrom !== undefined;
  const secure = tlsConnect({
    ...connectOptions,
    socket,
    // A data connection's identity is the control connection's certificate, compared byte for byte below.
    ...(dataConnection ? { checkServerIdentity: () => undefined } : {}),
  });
  const restorePeerCertificate = dataConnection ? skipPeerCertificateObject(secure) : () => undefined;
  // A session (ticket) is only worth keeping from a server that passed every check: resuming
  // it later skips the certificate checks, so sessions are held back until they pass.
  const early: Buffer[] = [];
  const holdBack = (session: Buffer): void => void early.push(session);
  if (options.onSession) secure.on('session', holdBack);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new SessionError(
              'FTPSCTL_ERR_TIMEOUT',
              `TLS handshake with ${options.host} (${options.channel} connection) took longer than ${options.timeoutMs} ms`,
              { host: options.host },
            ),
          ),
        options.timeoutMs,
      );
      // Destroyed from our side (a refused transfer ends its data connection): settle now, so no timer outlives the work.
      const onClose = (): void => {
        clearTimeout(timer);
        reject(
          new SessionError(
            'FTPSCTL_ERR_CLOSED',
            `the ${options.channel} connection to ${options.host} closed before its TLS handshake finished`,
            { host: options.host },
          ),
        );
      };
      secure.once('close', onClose);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        // Not left for the socket's end: an error (and its stack) per data connection, for nothing.
        secure.off('close', onClose);
        resolve();
      });
      secure.once('error', (error) => {
        clearTimeout(timer);
        reject(
          error instanceof SessionError
            ? error
            : classifyTlsError(error, options.host, options.channel, {
                ...(options.crlIssuers ? { crlIssuers: options.crlIssuers } : {}),
              }),
        );
      });
    });
    restorePeerCertificate();
    const result = checkNegotiated(secure, options);
    if (options.onSession) {
      secure.off('session', holdBack);
      for (const session of early) options.onSession(session);
      secure.on('session', options.onSession);
    }
    return result;
  } catch (error) {
    restorePeerCertificate();
    secure.destroy();
    socket.destroy();
    throw error;
  }
}

/**
 * Node's client builds `getPeerCertificate(true)` (every certificate of the chain as an object,
 * with three fingerprints each) for checkServerIdentity on every connection it does not resume:
 * ~0.3 ms per data connection to a server that issues no TLS 1.3 tickets (pure-ftpd), about 15%
 * of the client's main-thread time per small file. A data connection needs none of it: its
 * certificate must be the control connection's, byte for byte (checkNegotiated compares the
 * SHA-256), and that one passed checkServerIdentity and every rule; OpenSSL still verifies the
 * chain. Until the handshake settles, this socket answers that one call with an empty object.
 * Returns what puts the prototype's method back.
 */
function skipPeerCertificateObject(secure: TLSSocket): () => void {
  const placeholder = {} as DetailedPeerCertificate;
  Object.defineProperty(secure, 'getPeerCertificate', {
    value: () => placeholder,
    configurable: true,
    writable: true,
  });
  return () => void Reflect.deleteProperty(secure, 'getPeerCertificate');
}

export interface ResumedFrom {
  /** The certificate checked when the resumed session was first established. */
  certificate: ServerCertificateInfo;
}

function checkNegotiated(secure: TLSSocket, options: HandshakeOptions): HandshakeResult {
  const { settings, host, channel } = options;
  const resumed = secure.isSessionReused();
  if (options.resumedFrom) {
    // A data connection. The same certificate as the control connection's (compared by its
    // SHA-256, without parsing it into an object) passed the pins, key-strength and
    // validation-off checks there; chain and hostname were checked on this connection by
    // OpenSSL and checkServerIdentity, or stand for themselves in the resumed session. A
    // resumed session that shows no certificate is the one checked on the control connection.
    // Node 20: after getPeerX509Certificate, getPeerCertificate shows no certificate on this
    // socket, so a different certificate is refused here, with its fingerprint.
    const raw = secure.getPeerX509Certificate();
    if (raw === undefined ? resumed : raw.fingerprint256 === options.resumedFrom.certificate.sha256) {
      return finish(secure, settings, host, channel, options.resumedFrom.certificate, undefined);
    }
    if (raw !== undefined) {
      throw new SessionError(
        'FTPSCTL_ERR_PIN_MISMATCH',
        `the data connection to ${host} presented another certificate (SHA-256 ${raw.fingerprint256}) than the control connection; refusing it`,
        { host },
      );
    }
  }
  // With the chain (issuerCertificate links): the certificate rules look at every CA too.
  const peer = secure.getPeerCertificate(true);
  if (!peer || !peer.fingerprint256) {
    throw new SessionError(
      'FTPSCTL_ERR_CERT_UNTRUSTED',
      `TLS with ${host} (${channel} connection): the server sent no certificate`,
      { host },
    );
  }
  // Certificate fingerprints and public key pins (curl's sha256//BASE64): every kind that is set must match.
  checkPins(settings.pki, { fingerprint256: peer.fingerprint256, raw: peer.raw }, host, channel);
  // Fail closed: validation off is only allowed with pins (the schema and resolver say so too).
  if (!settings.validateCertificateChain && !hasPins(settings.pki)) {
    throw new SessionError(
      'FTPSCTL_ERR_CERT_UNTRUSTED',
      `refusing ${host}: certificate validation is off and no pinned fingerprint authenticates the server`,
      { host },
    );
  }
  // A pin replaces the chain check, not the revocation check: with revocation "crl" the chain must
  // still verify against the CRLs (OpenSSL reports the last verify error, which can hide a revocation).
  if (!settings.validateCertificateChain && settings.pki.revocation === 'crl' && !secure.authorized) {
    const reason = String(secure.authorizationError ?? 'unknown');
    const revoked = reason === 'CERT_REVOKED';
    throw new SessionError(
      'FTPSCTL_ERR_CERT_UNTRUSTED',
      revoked
        ? `refusing ${host}: its certificate is revoked (tls.pki.crlFiles); a pin replaces the chain check, not the revocation check`
        : `refusing ${host}: tls.pki.revocation is crl, so the certificate's revocation status must be checked even with validation off and a pin, and it could not be (${reason}); give tls.pki.caFile the issuer and tls.pki.crlFiles its current CRL`,
      { host },
    );
  }
  // What a server certificate may be (subjectAltName, purpose, key sizes, signature digests):
  // RFC 5280, RFC 6125 and the CA/Browser Forum baseline, checked before USER is sent.
  const ruleProblem = serverCertificateProblem({
    chain: presentedChain(peer),
    leaf: peer,
    serverName: settings.serverName,
    validateChain: settings.validateCertificateChain,
  });
  if (ruleProblem)
    throw new SessionError(
      'FTPSCTL_ERR_CERT_UNTRUSTED',
      `TLS with ${host} (${channel} connection) failed: ${ruleProblem}`,
      { host },
    );
  return finish(
    secure,
    settings,
    host,
    channel,
    {
      subject: distinguishedName(peer.subject as unknown as Record<string, string>),
      issuer: distinguishedName(peer.issuer as unknown as Record<string, string>),
      notAfter: new Date(peer.valid_to).toISOString(),
      sha256: peer.fingerprint256,
      publicKeySha256: publicKeyPin(peer.raw),
    },
    peer,
  );
}

function finish(
  secure: TLSSocket,
  settings: HandshakeOptions['settings'],
  host: string,
  channel: 'control' | 'data',
  certificate: ServerCertificateInfo,
  peer: PeerCertificate | undefined,
): HandshakeResult {
  const cipher = secure.getCipher();
  const ephemeral = secure.getEphemeralKeyInfo();
  const group = ephemeral && 'name' in ephemeral && typeof ephemeral.name === 'string' ? ephemeral.name : undefined;
  const publicKeyBits = peer && typeof peer.bits === 'number' ? peer.bits : undefined;
  const negotiated = {
    protocol: secure.getProtocol() ?? 'unknown',
    cipherName: cipher.standardName || cipher.name,
    ...(group ? { group } : {}),
    ...(publicKeyBits !== undefined
      ? { serverKeyBits: publicKeyBits, serverKeyType: peer?.modulus ? 'RSA' : 'EC' }
      : {}),
  };
  const problem = negotiatedProblem(settings, negotiated);
  if (problem)
    throw new SessionError(
      'FTPSCTL_ERR_TLS_STRENGTH',
      `TLS with ${host} (${channel} connection) does not meet the settings: ${problem}`,
      { host },
    );
  return {
    socket: secure,
    version: negotiated.protocol,
    cipher: negotiated.cipherName,
    ...(group ? { group } : {}),
    certificate,
    resumed: secure.isSessionReused(),
  };
}

/** The leaf and each issuer as `getPeerCertificate(true)` links them (the root links to itself). */
function presentedChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  for (
    let node: DetailedPeerCertificate | undefined = peer;
    node?.raw && !seen.has(node.fingerprint256) && chain.length < 16;
    node = node.issuerCertificate
  ) {
    seen.add(node.fingerprint256);
    chain.push(new X509Certificate(node.raw));
  }
  return chain;
}
