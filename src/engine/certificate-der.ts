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

/** Short names of the attribute types seen in CA names (RFC 4514 §3, RFC 4519). */
const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** Control characters stay out of an error message (a CRL is outside input). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** DirectoryString and friends (X.520): UTF8String, PrintableString, T61String, IA5String, BMPString. */
function attributeValueText(value: Tlv): string {
  if (value.tag === 0x1e) {
    let text = '';
    for (let i = 0; i + 1 < value.contents.length; i += 2) text += String.fromCharCode(value.contents.readUInt16BE(i));
    return text;
  }
  if (value.tag === 0x0c || value.tag === 0x13 || value.tag === 0x14 || value.tag === 0x16)
    return value.contents.toString(value.tag === 0x0c ? 'utf8' : 'latin1');
  return `#${value.contents.toString('hex')}`;
}

/** A DER Name (RFC 5280 §4.1.2.4) as `key=value, ...` in the order it is stored, or undefined if unreadable. */
function nameText(name: Tlv): string | undefined {
  if (name.tag !== 0x30) return undefined;
  const parts: string[] = [];
  for (let offset = 0; offset < name.contents.length;) {
    const set = readTlv(name.contents, offset);
    if (!set || set.tag !== 0x31) return undefined;
    for (let inner = 0; inner < set.contents.length;) {
      const pair = readTlv(set.contents, inner);
      if (!pair || pair.tag !== 0x30) return undefined;
      const type = readTlv(pair.contents, 0);
      if (!type || type.tag !== 0x06) return undefined;
      const value = readTlv(pair.contents, type.end);
      if (!value) return undefined;
      const oid = oidText(type.contents);
      parts.push(`${NAME_ATTRIBUTES[oid] ?? oid}=${attributeValueText(value).replace(CONTROL_CHARACTERS, '?')}`);
      inner = pair.end;
    }
    offset = set.end;
  }
  return parts.join(', ');
}

/**
 * The issuer of a DER CRL (RFC 5280 §5.1: CertificateList → tbsCertList → [version] signature issuer),
 * as `key=value, ...`, or undefined if the bytes are not a readable CRL.
 */
export function crlIssuerName(crlDer: Buffer): string | undefined {
  const list = readTlv(crlDer, 0);
  if (!list || list.tag !== 0x30) return undefined;
  const tbs = readTlv(list.contents, 0);
  if (!tbs || tbs.tag !== 0x30) return undefined;
  let field = readTlv(tbs.contents, 0);
  if (field?.tag === 0x02) field = readTlv(tbs.contents, field.end); // version (v2) is optional
  if (!field || field.tag !== 0x30) return undefined; // the signature AlgorithmIdentifier
  const issuer = readTlv(tbs.contents, field.end);
  return issuer ? nameText(issuer) : undefined;
}

/** The issuer of every `X509 CRL` block in a PEM file (RFC 7468 §5), in file order; unreadable blocks are left out. */
export function crlIssuerNames(pem: string): string[] {
  const names: string[] = [];
  for (const match of pem.matchAll(/-----BEGIN X509 CRL-----([A-Za-z0-9+/=\s]*?)-----END X509 CRL-----/g)) {
    const name = crlIssuerName(Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
    if (name !== undefined) names.push(name);
  }
  return names;
}
