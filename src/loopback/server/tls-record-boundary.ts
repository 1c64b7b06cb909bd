/**
 * Finds where TLS records stop and clear text starts in the bytes of a control connection
 * that is leaving TLS (CCC). After the client's close_notify, its next command can arrive
 * right behind it, even in the same TCP segment; handing those bytes to the TLS layer
 * would lose them. Every TLS record starts with a content type byte 20-24, every FTP
 * command with a letter, so the first record boundary that does not start with a content
 * type is where clear text begins. Pure state machine over the chunks.
 */

const RECORD_HEADER_BYTES = 5;

function isTlsContentType(byte: number): boolean {
  return byte >= 20 && byte <= 24;
}

export class TlsRecordBoundary {
  /** Bytes of the current record's body still to come. */
  private bodyRemaining = 0;
  /** A record header split across chunks. */
  private partialHeader = Buffer.alloc(0);
  private inClearText = false;

  /** Splits `chunk` into the TLS records it continues or contains, and whatever follows them in clear. */
  split(chunk: Buffer): { tls: Buffer; clear: Buffer } {
    if (this.inClearText) return { tls: Buffer.alloc(0), clear: chunk };
    const bytes = this.partialHeader.length > 0 ? Buffer.concat([this.partialHeader, chunk]) : chunk;
    this.partialHeader = Buffer.alloc(0);
    let offset = 0;
    for (;;) {
      if (this.bodyRemaining > 0) {
        const take = Math.min(this.bodyRemaining, bytes.length - offset);
        this.bodyRemaining -= take;
        offset += take;
        if (this.bodyRemaining > 0) break;
        continue;
      }
      if (offset === bytes.length) break;
      if (!isTlsContentType(bytes[offset]!)) {
        this.inClearText = true;
        return { tls: bytes.subarray(0, offset), clear: bytes.subarray(offset) };
      }
      if (bytes.length - offset < RECORD_HEADER_BYTES) {
        this.partialHeader = Buffer.from(bytes.subarray(offset));
        return { tls: bytes.subarray(0, offset), clear: Buffer.alloc(0) };
      }
      this.bodyRemaining = bytes.readUInt16BE(offset + 3);
      offset += RECORD_HEADER_BYTES;
    }
    return { tls: bytes.subarray(0, offset), clear: Buffer.alloc(0) };
  }
}
