/** PEM armour (RFC 7468) and the fingerprint form the rest of ftpsctl compares. Pure. */
import { createHash } from 'node:crypto';

export function toPem(label: 'CERTIFICATE' | 'X509 CRL', derBytes: Buffer): string {
  const lines = derBytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** SHA-256 of the DER, uppercase hex pairs joined by colons, as `X509Certificate.fingerprint256` prints it. */
export function sha256Fingerprint(derBytes: Buffer): string {
  return createHash('sha256').update(derBytes).digest('hex').toUpperCase().match(/.{2}/g)!.join(':');
}
