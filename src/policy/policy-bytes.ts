/**
 * A policy file's bytes: their SHA-256, and whether they are UTF-8 (policy files are UTF-8; a
 * UTF-16 or UTF-32 file is recognised and named, so the problem says how to save it). Pure.
 */
import { createHash } from 'node:crypto';

/** The SHA-256 of a policy file as read (hex): the identity the audit trail records. */
export function sha256Hex(bytes: string | Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The fix for a policy file that is not UTF-8. */
export const SAVE_AS_UTF8 =
  'policy files are UTF-8: save it as UTF-8 (Notepad: Save As, Encoding "UTF-8"; iconv -f UTF-16 -t UTF-8 FILE)';

/** A non-UTF-8 Unicode encoding recognised by its byte order mark or by NULs between ASCII bytes. */
export function describeEncoding(bytes: Buffer): string | undefined {
  const b = (i: number): number => (i < bytes.length ? bytes[i] : -1);
  let name: string | undefined;
  if (b(0) === 0xff && b(1) === 0xfe && b(2) === 0 && b(3) === 0)
    name = 'UTF-32 little-endian (byte order mark FF FE 00 00)';
  else if (b(0) === 0 && b(1) === 0 && b(2) === 0xfe && b(3) === 0xff)
    name = 'UTF-32 big-endian (byte order mark 00 00 FE FF)';
  else if (b(0) === 0xff && b(1) === 0xfe) name = 'UTF-16 little-endian (byte order mark FF FE)';
  else if (b(0) === 0xfe && b(1) === 0xff) name = 'UTF-16 big-endian (byte order mark FE FF)';
  else if (b(0) === 0x3c && b(1) === 0 && b(2) === 0 && b(3) === 0) name = 'UTF-32 little-endian (no byte order mark)';
  else if (b(0) === 0 && b(1) === 0 && b(2) === 0 && b(3) === 0x3c) name = 'UTF-32 big-endian (no byte order mark)';
  else if (b(0) === 0x3c && b(1) === 0) name = 'UTF-16 little-endian (no byte order mark)';
  else if (b(0) === 0 && b(1) === 0x3c) name = 'UTF-16 big-endian (no byte order mark)';
  return name ? `is encoded as ${name}, not UTF-8; ${SAVE_AS_UTF8}` : undefined;
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (next & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
