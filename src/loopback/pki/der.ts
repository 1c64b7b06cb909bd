/**
 * A minimal DER (ASN.1 Distinguished Encoding Rules, X.690) encoder: just the types that
 * X.509 certificates and CRLs need. Every function returns the complete encoding of one
 * value, so structures are built by nesting calls. Pure.
 */

const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Short form below 128, otherwise 0x80 | number of length bytes, then big-endian length. */
function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value; `tag` is the whole identifier octet (class, constructed bit, number). */
export function tlv(tag: number, ...contents: Buffer[]): Buffer {
  const body = Buffer.concat(contents);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export function sequence(...items: Buffer[]): Buffer {
  return tlv(TAG.sequence, ...items);
}

/** DER sorts SET OF members by their encodings. */
export function set(...items: Buffer[]): Buffer {
  return tlv(TAG.set, ...[...items].sort(Buffer.compare));
}

export function boolean(value: boolean): Buffer {
  return tlv(TAG.boolean, Buffer.from([value ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return tlv(TAG.null);
}

/** Non-negative integers only (versions, serials, CRL numbers): all this PKI needs. */
export function integer(value: bigint | number | Buffer): Buffer {
  let bytes: Buffer;
  if (Buffer.isBuffer(value)) {
    bytes = value;
  } else {
    const big = BigInt(value);
    if (big < 0n) throw new RangeError('der.integer: negative integers are not supported');
    const hex = big.toString(16);
    bytes = Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex');
  }
  // Minimal encoding: no redundant leading zeros, but one zero when the high bit is set (else it reads negative).
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1]! & 0x80) === 0) start += 1;
  bytes = bytes.subarray(start);
  if (bytes.length === 0) bytes = Buffer.from([0]);
  if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(TAG.integer, bytes);
}

/** Dotted OID text such as `2.5.29.19`. */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => BigInt(arc));
  if (arcs.length < 2) throw new RangeError(`der.oid: "${dotted}" needs at least two arcs`);
  const [first, second, ...rest] = arcs as [bigint, bigint, ...bigint[]];
  const bytes: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const base128: number[] = [Number(arc & 0x7fn)];
    for (let high = arc >> 7n; high > 0n; high >>= 7n) base128.unshift(Number(high & 0x7fn) | 0x80);
    bytes.push(...base128);
  }
  return tlv(TAG.oid, Buffer.from(bytes));
}

export function octetString(bytes: Buffer): Buffer {
  return tlv(TAG.octetString, bytes);
}

/** A BIT STRING holding whole bytes (signatures, public keys). */
export function bitString(bytes: Buffer): Buffer {
  return tlv(TAG.bitString, Buffer.from([0]), bytes);
}

/**
 * A BIT STRING of named bits (bit 0 is the most significant bit of the first byte), as
 * keyUsage uses. DER drops trailing zero bits and records how many bits of the last byte
 * are unused.
 */
export function namedBits(bitNumbers: readonly number[]): Buffer {
  if (bitNumbers.length === 0) return tlv(TAG.bitString, Buffer.from([0]));
  const highest = Math.max(...bitNumbers);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bitNumbers) bytes[Math.floor(bit / 8)]! |= 0x80 >> (bit % 8);
  const unusedBits = 7 - (highest % 8);
  return tlv(TAG.bitString, Buffer.from([unusedBits]), bytes);
}

export function utf8String(text: string): Buffer {
  return tlv(TAG.utf8String, Buffer.from(text, 'utf8'));
}

export function printableString(text: string): Buffer {
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text))
    throw new RangeError(`der.printableString: "${text}" is not printable`);
  return tlv(TAG.printableString, Buffer.from(text, 'ascii'));
}

export function ia5String(text: string): Buffer {
  if ([...text].some((char) => char.charCodeAt(0) > 0x7f))
    throw new RangeError(`der.ia5String: "${text}" is not ASCII`);
  return tlv(TAG.ia5String, Buffer.from(text, 'ascii'));
}

/** RFC 5280 4.1.2.5: UTCTime for years 1950-2049, GeneralizedTime otherwise; always UTC, whole seconds. */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(TAG.utcTime, Buffer.from(`${digits.slice(2)}Z`, 'ascii'));
  return tlv(TAG.generalizedTime, Buffer.from(`${digits}Z`, 'ascii'));
}

/** `[n] EXPLICIT`: a constructed context-specific wrapper around a complete encoding. */
export function explicit(tagNumber: number, inner: Buffer): Buffer {
  return tlv(0xa0 | tagNumber, inner);
}

/** `[n] IMPLICIT` on a primitive type: the context tag replaces the type's own tag. */
export function implicitPrimitive(tagNumber: number, contents: Buffer): Buffer {
  return tlv(0x80 | tagNumber, contents);
}
