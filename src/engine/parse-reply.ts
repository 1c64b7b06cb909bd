/**
 * FTP reply parsing (RFC 959 §4.2), pure: text in, complete replies and the unparsed rest
 * out, so a reply split across packets, or several replies in one packet, is handled by
 * data, not by timing. Garbage is reported as a problem value, never thrown from inside.
 */

export interface FtpReply {
  code: number;
  /** Every line of the reply without its line end; the first and last carry the code. */
  lines: string[];
  /** The reply's text: the lines joined, codes and separators stripped from first and last. */
  message: string;
}

export type ReplyParse = { replies: FtpReply[]; rest: string; problem?: undefined } | { replies: FtpReply[]; rest: string; problem: string };

/** Longest line we wait for; a server that sends more without a line end is broken or hostile. */
export const MAX_REPLY_LINE = 8 * 1024;
/** Most lines in one multi-line reply (FEAT and HELP are the long ones: tens of lines). */
export const MAX_REPLY_LINES = 10_000;

const FIRST_LINE = /^(\d{3})([ -])(.*)$/;

function messageOf(lines: string[], code: string): string {
  return lines
    .map((line, i) => {
      if ((i === 0 || i === lines.length - 1) && line.startsWith(code) && (line[3] === ' ' || line[3] === '-')) return line.slice(4);
      return line.replace(/^ /, '');
    })
    .join('\n');
}

export function parseReplies(buffer: string): ReplyParse {
  const replies: FtpReply[] = [];
  let offset = 0;
  for (;;) {
    const start = offset;
    const lines: string[] = [];
    let code: string | undefined;
    let multi = false;
    let complete = false;
    while (!complete) {
      const newline = buffer.indexOf('\n', offset);
      if (newline < 0) {
        const pending = buffer.length - offset;
        if (pending > MAX_REPLY_LINE) return { replies, rest: buffer.slice(start), problem: `reply line longer than ${MAX_REPLY_LINE} bytes without a line end` };
        return { replies, rest: buffer.slice(start) };
      }
      const line = buffer.slice(offset, newline).replace(/\r$/, '');
      offset = newline + 1;
      if (line.length > MAX_REPLY_LINE) return { replies, rest: buffer.slice(start), problem: `reply line longer than ${MAX_REPLY_LINE} bytes` };
      if (code === undefined) {
        const match = FIRST_LINE.exec(line);
        if (!match) return { replies, rest: buffer.slice(start), problem: `malformed reply line ${JSON.stringify(line.slice(0, 80))}: a reply starts with a three-digit code` };
        code = match[1];
        multi = match[2] === '-';
        lines.push(line);
        complete = !multi;
      } else {
        lines.push(line);
        if (lines.length > MAX_REPLY_LINES) return { replies, rest: buffer.slice(start), problem: `multi-line reply ${code} longer than ${MAX_REPLY_LINES} lines` };
        // The last line of a multi-line reply repeats the code followed by a space.
        complete = line.startsWith(`${code} `) || line === code;
      }
    }
    const numeric = Number(code);
    if (numeric < 100 || numeric > 599) return { replies, rest: buffer.slice(start), problem: `reply code ${code} is outside 100-599` };
    replies.push({ code: numeric, lines, message: messageOf(lines, code as string) });
  }
}

/** RFC 959 reply classes. */
export const isPreliminary = (reply: FtpReply): boolean => reply.code >= 100 && reply.code < 200;
export const isCompletion = (reply: FtpReply): boolean => reply.code >= 200 && reply.code < 300;
export const isIntermediate = (reply: FtpReply): boolean => reply.code >= 300 && reply.code < 400;
export const isNegative = (reply: FtpReply): boolean => reply.code >= 400;
