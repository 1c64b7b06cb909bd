/**
 * Splitting received control bytes into command lines, pure: bytes in, complete lines and
 * the unfinished rest out, so a command split across packets, or several in one packet,
 * is handled by data, not by timing.
 */

export interface CommandLines {
  lines: string[];
  rest: Buffer;
}

export function takeCommandLines(buffer: Buffer): CommandLines {
  const lines: string[] = [];
  let offset = 0;
  for (let newline = buffer.indexOf(0x0a, offset); newline >= 0; newline = buffer.indexOf(0x0a, offset)) {
    lines.push(buffer.subarray(offset, newline).toString('utf8').replace(/\r$/, ''));
    offset = newline + 1;
  }
  return { lines, rest: buffer.subarray(offset) };
}

export interface CommandWords {
  verb: string;
  argument: string;
}

export function splitCommand(line: string): CommandWords {
  const space = line.indexOf(' ');
  if (space < 0) return { verb: line.toUpperCase(), argument: '' };
  return { verb: line.slice(0, space).toUpperCase(), argument: line.slice(space + 1) };
}
