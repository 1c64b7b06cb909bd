/** X.509 v3 extensions (RFC 5280 4.2) that the test PKI puts in certificates and CRLs. Pure. */
import { isIP } from 'node:net';
import * as der from './der';
import { OID } from './oids';

/** keyUsage bit numbers (RFC 5280 4.2.1.3). */
export const KEY_USAGE = {
  digitalSignature: 0,
  keyEncipherment: 2,
  keyCertSign: 5,
  cRLSign: 6,
} as const;

export type KeyUsageName = keyof typeof KEY_USAGE;

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  // DER omits a BOOLEAN that equals its DEFAULT (critical FALSE).
  return critical
    ? der.sequence(der.oid(oid), der.boolean(true), der.octetString(value))
    : der.sequence(der.oid(oid), der.octetString(value));
}

export function basicConstraints(isCa: boolean): Buffer {
  // cA DEFAULT FALSE: a leaf's value is the empty SEQUENCE. Critical for CAs, as RFC 5280 requires.
  return extension(OID.basicConstraints, isCa, isCa ? der.sequence(der.boolean(true)) : der.sequence());
}

export function keyUsage(usages: readonly KeyUsageName[]): Buffer {
  return extension(OID.keyUsage, true, der.namedBits(usages.map((usage) => KEY_USAGE[usage])));
}

export function extendedKeyUsage(purposes: ReadonlyArray<'serverAuth' | 'clientAuth'>): Buffer {
  return extension(OID.extKeyUsage, false, der.sequence(...purposes.map((purpose) => der.oid(OID[purpose]))));
}

/** dNSName is [2] IA5String, iPAddress is [7] OCTET STRING with the 4 or 16 address bytes. */
export function subjectAltName(names: readonly string[]): Buffer {
  const generalNames = names.map((name) => {
    const family = isIP(name);
    if (family === 4) return der.implicitPrimitive(7, Buffer.from(name.split('.').map(Number)));
    if (family === 6) return der.implicitPrimitive(7, ipv6Bytes(name));
    return der.implicitPrimitive(2, Buffer.from(name, 'ascii'));
  });
  return extension(OID.subjectAltName, false, der.sequence(...generalNames));
}

function ipv6Bytes(address: string): Buffer {
  if (address.includes('.'))
    throw new RangeError(`subjectAltName: IPv6 with an embedded IPv4 part is not supported (${address})`);
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = address.includes('::') && tail ? tail.split(':') : [];
  const zeros = address.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}

export function subjectKeyIdentifier(keyId: Buffer): Buffer {
  return extension(OID.subjectKeyIdentifier, false, der.octetString(keyId));
}

/** AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING }. */
export function authorityKeyIdentifier(issuerKeyId: Buffer): Buffer {
  return extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, issuerKeyId)));
}

export function crlNumber(value: bigint): Buffer {
  return extension(OID.crlNumber, false, der.integer(value));
}
