/**
 * Bytes <-> text on the control and data channels (`network.encoding`), such that every
 * name a server lists can be sent back byte for byte.
 *
 * - `utf8` (used for `auto` and `utf8`): UTF-8 (RFC 3629, RFC 2640). A byte that is not part
 *   of a valid UTF-8 sequence becomes the lone surrogate U+DC80..U+DCFF and goes back out as
 *   that byte: Python's `surrogateescape` (PEP 383), the scheme pyftpdlib uses on its side.
 * - `latin1`: ISO-8859-1, one character per byte (Node's `latin1`). A character above
 *   U+00FF has no byte: `encode` throws FTPSCTL_ERR_USAGE rather than send another name.
 *
 * Another code page (windows-1252, Shift_JIS, ...) would need an encoder Node lacks
 * (TextEncoder only writes UTF-8); its bytes still round-trip through `latin1`.
 */
import { SessionError } from '../errors';

export type NameEncoding = 'utf8' | 'latin1';

export interface NameCodec {
  readonly encoding: NameEncoding;
  /** Never throws; `utf8` keeps stray bytes as U+DC80..U+DCFF. */
  decode(bytes: Buffer): string;
  /** Throws FTPSCTL_ERR_USAGE for text this encoding cannot carry. */
  encode(text: string): Buffer;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Length of the valid UTF-8 sequence at `i`, or 0 (RFC 3629 §4: no overlongs, no surrogates, ≤ U+10FFFF). */
function sequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i];
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean =>
    i + k < bytes.length && bytes[i + k] >= lo && bytes[i + k] <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const [lo, hi] = b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** UTF-8 with `surrogateescape` for bytes that are not UTF-8. */
export function decodeUtf8Escaped(bytes: Buffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Slow path only for names that are not UTF-8.
  }
  let text = '';
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] < 0x80) {
      i += 1;
      continue;
    }
    const length = sequenceLength(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    text += bytes.toString('utf8', start, i) + String.fromCharCode(0xdc00 + bytes[i]);
    i += 1;
    start = i;
  }
  return text + bytes.toString('utf8', start);
}

/** The inverse of decodeUtf8Escaped: U+DC80..U+DCFF (not part of a pair) go out as their byte. */
export function encodeUtf8Escaped(text: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        i += 1; // a pair: an ordinary character above U+FFFF
        continue;
      }
    }
    if (unit >= 0xdc80 && unit <= 0xdcff) {
      parts.push(Buffer.from(text.slice(start, i), 'utf8'), Buffer.of(unit - 0xdc00));
      start = i + 1;
    }
  }
  parts.push(Buffer.from(text.slice(start), 'utf8'));
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

const UTF8: NameCodec = { encoding: 'utf8', decode: decodeUtf8Escaped, encode: encodeUtf8Escaped };

const LATIN1: NameCodec = {
  encoding: 'latin1',
  decode: (bytes) => bytes.toString('latin1'),
  encode: (text) => {
    const bad = [...text].find((char) => (char.codePointAt(0) ?? 0) > 0xff);
    if (bad !== undefined) {
      throw new SessionError(
        'FTPSCTL_ERR_USAGE',
        `${JSON.stringify(bad)} (U+${bad.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}) cannot be sent with network.encoding latin1 (ISO-8859-1 has no such character); use the name as the listing shows it, or set network.encoding to utf8 if the server stores UTF-8 names`,
      );
    }
    return Buffer.from(text, 'latin1');
  },
};

/** The codec for a `network.encoding` value (`auto` reads and writes UTF-8, see above). */
export function nameCodec(encoding: 'auto' | NameEncoding | undefined): NameCodec {
  return encoding === 'latin1' ? LATIN1 : UTF8;
}
