/**
 * Checks a client certificate against the server's CA certificates. Needed because a
 * standalone server-side `tls.TLSSocket` (which the FTP server uses to upgrade existing
 * sockets) asks for the certificate but leaves judging it to the application; only a
 * `tls.Server` does that itself. One level deep: the test PKI issues clients straight from a CA.
 */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';

const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export function splitPemCertificates(pem: string): X509Certificate[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (block) => new X509Certificate(block),
  );
}

/** Undefined when the peer's certificate is acceptable, otherwise why not. */
export function clientCertificateProblem(
  socket: TLSSocket,
  authorities: readonly X509Certificate[],
  now = new Date(),
): string | undefined {
  const peer = socket.getPeerX509Certificate();
  if (!peer) return 'no client certificate';
  if (now < new Date(peer.validFrom) || now > new Date(peer.validTo))
    return 'client certificate outside its validity period';
  const issuer = authorities.find((ca) => peer.checkIssued(ca) && peer.verify(ca.publicKey));
  if (!issuer) return 'client certificate not issued by a trusted CA';
  if (peer.keyUsage !== undefined && !peer.keyUsage.includes(CLIENT_AUTH))
    return 'client certificate not for clientAuth';
  return undefined;
}
