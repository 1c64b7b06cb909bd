/**
 * The options of `tls.connect()` for a session, from its TLS settings and trust material:
 * versions and suites from the TLS offer, trust (CA file and/or the system store), CRLs,
 * the client certificate, SNI and hostname from `serverName`. Pure.
 */
import { isIP } from 'node:net';
import { checkServerIdentity, rootCertificates, type ConnectionOptions, type PeerCertificate } from 'node:tls';
import type { EngineSettings } from './engine-settings';
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
  const offer = tlsOffer(settings);
  const ca = [...(settings.pki.useSystemTrustStore ? rootCertificates : []), ...(material.caPem ? [material.caPem] : [])];
  const options: ConnectionOptions = {
    minVersion: offer.minVersion,
    maxVersion: offer.maxVersion,
    ciphers: offer.ciphers,
    ecdhCurve: offer.ecdhCurve,
    ca,
    rejectUnauthorized: settings.validateCertificateChain,
    // Node passes the socket's host (or "localhost") here; the name to verify is serverName.
    checkServerIdentity: (_host: string, cert: PeerCertificate) => (settings.validateCertificateChain ? checkServerIdentity(settings.serverName, cert) : undefined),
  };
  // SNI carries a DNS name only (RFC 6066 §3); an IP address is still verified against the certificate.
  if (isIP(settings.serverName) === 0) options.servername = settings.serverName;
  if (offer.sigalgs) options.sigalgs = offer.sigalgs;
  if (material.crlPems.length > 0) options.crl = material.crlPems;
  if (material.clientCertPem && material.clientKeyPem) {
    options.cert = material.clientCertPem;
    options.key = material.clientKeyPem;
    if (inputs.clientKeyPassphrase !== undefined) options.passphrase = inputs.clientKeyPassphrase;
  }
  if (inputs.session) options.session = inputs.session;
  return options;
}
