/**
 * Just enough DER reading to split a structure into its top-level children: the PKI needs
 * it to pull the key bits out of a SubjectPublicKeyInfo for the key identifier. Pure.
 */

export interface DerElement {
  tag: number;
  /** The contents octets (without tag and length). */
  contents: Buffer;
}

/** Reads the TLV elements laid one after another in `bytes`. Only the definite form, as DER requires. */
export function readDerElements(bytes: Buffer): DerElement[] {
  const elements: DerElement[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const tag = bytes[offset]!;
    let length = bytes[offset + 1];
    if (length === undefined) throw new RangeError('DER: truncated length');
    offset += 2;
    if (length & 0x80) {
      const lengthBytes = length & 0x7f;
      if (lengthBytes === 0 || lengthBytes > 4) throw new RangeError('DER: unsupported length form');
      length = 0;
      for (let i = 0; i < lengthBytes; i += 1) length = length * 256 + bytes[offset + i]!;
      offset += lengthBytes;
    }
    if (offset + length > bytes.length) throw new RangeError('DER: element runs past the end');
    elements.push({ tag, contents: bytes.subarray(offset, offset + length) });
    offset += length;
  }
  return elements;
}
