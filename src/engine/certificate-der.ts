/**
 * The few fields of a DER certificate (RFC 5280 §4.1) that Node's X509Certificate does not
 * expose: the signature algorithm, and whether the certificate is self-issued. A bounded
 * reader of definite-length TLV (X.690 §8.1): no recursion, no allocation beyond subarrays.
 */

interface Tlv {
  tag: number;
  contents: Buffer;
  end: number;
}

function readTlv(bytes: Buffer, offset: number): Tlv | undefined {
  if (offset + 2 > bytes.length) return undefined;
  const tag = bytes[offset]!;
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]!;
    start += count;
  }
  if (start + length > bytes.length) return undefined;
  return { tag, contents: bytes.subarray(start, start + length), end: start + length };
}

/** Dotted form of a DER OBJECT IDENTIFIER's contents (X.690 §8.19). */
function oidText(contents: Buffer): string {
  const parts: number[] = [];
  let value = 0;
  for (const byte of contents) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** The signatureAlgorithm OID of a DER certificate (the outer one, RFC 5280 §4.1.1.2), or undefined if unreadable. */
export function signatureAlgorithmOid(certificateDer: Buffer): string | undefined {
  const certificate = readTlv(certificateDer, 0);
  if (!certificate || certificate.tag !== 0x30) return undefined;
  const tbs = readTlv(certificate.contents, 0);
  if (!tbs) return undefined;
  const algorithm = readTlv(certificate.contents, tbs.end);
  if (!algorithm || algorithm.tag !== 0x30) return undefined;
  const oid = readTlv(algorithm.contents, 0);
  return oid && oid.tag === 0x06 ? oidText(oid.contents) : undefined;
}

/** Signature algorithms by OID, with the hash they use (RFC 3279, 4055, 5758, 8410). */
export const SIGNATURE_ALGORITHMS: Record<
  string,
  { name: string; hash: 'md2' | 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'pss' | 'intrinsic' }
> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'md2' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'md5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'sha1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'sha224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'sha256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'sha384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'sha512' },
  '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: 'pss' },
  '1.2.840.10040.4.3': { name: 'dsa-with-sha1', hash: 'sha1' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'sha1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'sha224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'sha256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'sha384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'sha512' },
  '1.3.101.112': { name: 'Ed25519', hash: 'intrinsic' },
  '1.3.101.113': { name: 'Ed448', hash: 'intrinsic' },
};
