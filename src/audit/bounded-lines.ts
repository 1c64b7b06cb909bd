/**
 * Lines of a stream, each at most `maxBytes` long: a longer one is skipped without being held
 * (its length is reported instead). readline builds every line whole in one string, so a log
 * whose tail is hundreds of MiB without a line end (a crash mid-append leaves NUL bytes) ends
 * in "RangeError: Invalid string length" before any report.
 *
 * Splits on LF; a CR before it is removed (CRLF logs). Decodes each line as UTF-8 (bytes that
 * are not become U+FFFD), so a multi-byte character split across chunks stays whole.
 */
import type { Readable } from 'node:stream';

export type BoundedLine = { line: string } | { overlongBytes: number };

export async function* boundedLines(input: Readable, maxBytes: number): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = [];
  let held = 0;
  /** Bytes of the current line dropped so far; -1 while the line is still held. */
  let dropped = -1;
  const finish = (): BoundedLine => {
    if (dropped >= 0) {
      const result = { overlongBytes: dropped + held };
      dropped = -1;
      parts = [];
      held = 0;
      return result;
    }
    let bytes = Buffer.concat(parts, held);
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    parts = [];
    held = 0;
    return { line: bytes.toString('utf8') };
  };
  for await (const chunk of input) {
    let data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    for (;;) {
      const end = data.indexOf(0x0a);
      const piece = end === -1 ? data : data.subarray(0, end);
      if (dropped >= 0) dropped += piece.length;
      else if (held + piece.length > maxBytes) {
        dropped = held + piece.length;
        parts = [];
        held = 0;
      } else {
        parts.push(piece);
        held += piece.length;
      }
      if (end === -1) break;
      yield finish();
      data = data.subarray(end + 1);
    }
  }
  if (held > 0 || dropped >= 0) yield finish();
}
