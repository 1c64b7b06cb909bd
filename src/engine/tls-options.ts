/**
 * The options of `tls.connect()` for a session, from its TLS settings and trust material:
 * a shared secure context (versions and suites from the TLS offer, trust from the CA file
 * and/or the system store, CRLs, the client certificate; see secure-context-cache.ts), SNI
 * and the hostname to verify from `serverName`, and the session to resume. Pure but for the
 * context cache.
 * @throws FtpsctlError FTPSCTL_ERR_PROFILE_INVALID when OpenSSL refuses the trust material.
 */
import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { EngineSettings } from './engine-settings';
import { sharedSecureContext, type SecureContextInputs } from './secure-context-cache';
import { tlsOffer } from './tls-profile';
import type { TrustMaterial } from './trust-material';

export interface TlsOptionInputs {
  tls: EngineSettings['tls'];
  material: TrustMaterial;
  clientKeyPassphrase?: string;
  /** A TLS session to resume (data connections resume the control connection's). */
  session?: Buffer;
}

export function tlsConnectOptions(inputs: TlsOptionInputs): ConnectionOptions {
  const { tls: settings, material } = inputs;
  const contextInputs: SecureContextInputs = {
    offer: tlsOffer(settings),
    useSystemTrustStore: settings.pki.useSystemTrustStore,
    caPems: material.caPem ? [material.caPem] : [],
    crlPems: material.crlPems,
    settingsName: 'tls.pki',
  };
  if (material.clientCertPem && material.clientKeyPem) {
    contextInputs.clientCertPem = material.clientCertPem;
    contextInputs.clientKeyPem = material.clientKeyPem;
    if (inputs.clientKeyPassphrase !== undefined) contextInputs.clientKeyPassphrase = inputs.clientKeyPassphrase;
  }
  const secureContext = sharedSecureContext(contextInputs);
  const options: ConnectionOptions = {
    secureContext,
    rejectUnauthorized: settings.validateCertificateChain,
    // Node passes the socket's host (or "localhost") here; the name to verify is serverName.
    checkServerIdentity: (_host: string, cert: PeerCertificate) =>
      settings.validateCertificateChain ? checkServerIdentity(settings.serverName, cert) : undefined,
  };
  // SNI carries a DNS name only (RFC 6066 §3); an IP address is still verified against the certificate.
  if (isIP(settings.serverName) === 0) options.servername = settings.serverName;
  if (inputs.session) options.session = inputs.session;
  return options;
}
