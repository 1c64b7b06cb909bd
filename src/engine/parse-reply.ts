/**
 * FTP reply parsing (RFC 959 §4.2), pure: text in, complete replies and the unparsed rest
 * out, so a reply split across packets, or several replies in one packet, is handled by
 * data, not by timing. Garbage is reported as a problem value, never thrown from inside.
 *
 * The one rule beyond RFC 959: inside a multi-line reply, a line that starts with another
 * code and a space (`150 Opening ...` after `553-`) ends the reply, and the reply takes that
 * last line's code. RFC 959 tells servers to indent inner lines that start with digits, so
 * no conforming server sends such a line; glftpd does (its STOR precheck prints `553-` lines,
 * then `150` and waits for the upload), and lftp and FlashFXP act on the last code. Waiting
 * for a `553 ` that never comes would hang until the idle timeout on a reply that arrived.
 * The first line's code is kept in `openedWith`.
 */

export interface FtpReply {
  code: number;
  /** Every line of the reply without its line end; the first and last carry the code. */
  lines: string[];
  /** The reply's text: the lines joined, codes and separators stripped from first and last. */
  message: string;
  /** Set when the multi-line reply opened with another code than its last line's (see above). */
  openedWith?: number;
}

export type ReplyParse =
  { replies: FtpReply[]; rest: string; problem?: undefined } | { replies: FtpReply[]; rest: string; problem: string };

/** Longest line we wait for; a server that sends more without a line end is broken or hostile. */
export const MAX_REPLY_LINE = 8 * 1024;
/** Most lines in one multi-line reply (FEAT and HELP are the long ones: tens of lines). */
export const MAX_REPLY_LINES = 10_000;

const FIRST_LINE = /^(\d{3})([ -])(.*)$/s; // s: a name in a reply may hold U+2028/U+2029
/** A line that ends a multi-line reply under another code (see the module comment). */
const OTHER_CODE_LAST_LINE = /^(\d{3}) /;

function messageOf(lines: string[], first: string, last: string): string {
  return lines
    .map((line, i) => {
      const code = i === 0 ? first : last;
      if (
        (i === 0 || i === lines.length - 1) &&
        line.startsWith(code) &&
        (line[3] === ' ' || line[3] === '-' || line.length === 3)
      )
        return line.slice(4);
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
    let lastCode: string | undefined;
    let multi = false;
    let complete = false;
    while (!complete) {
      const newline = buffer.indexOf('\n', offset);
      if (newline < 0) {
        const pending = buffer.length - offset;
        if (pending > MAX_REPLY_LINE)
          return {
            replies,
            rest: buffer.slice(start),
            problem: `reply line longer than ${MAX_REPLY_LINE} bytes without a line end`,
          };
        return { replies, rest: buffer.slice(start) };
      }
      const line = buffer.slice(offset, newline).replace(/\r$/, '');
      offset = newline + 1;
      if (line.length > MAX_REPLY_LINE)
        return { replies, rest: buffer.slice(start), problem: `reply line longer than ${MAX_REPLY_LINE} bytes` };
      if (code === undefined) {
        const match = FIRST_LINE.exec(line);
        if (!match)
          return {
            replies,
            rest: buffer.slice(start),
            problem: `malformed reply line ${JSON.stringify(line.slice(0, 80))}: a reply starts with a three-digit code`,
          };
        code = match[1];
        multi = match[2] === '-';
        lines.push(line);
        complete = !multi;
      } else {
        lines.push(line);
        if (lines.length > MAX_REPLY_LINES)
          return {
            replies,
            rest: buffer.slice(start),
            problem: `multi-line reply ${code} longer than ${MAX_REPLY_LINES} lines`,
          };
        // The last line of a multi-line reply repeats the code followed by a space.
        complete = line.startsWith(`${code} `) || line === code;
        if (!complete) {
          const other = OTHER_CODE_LAST_LINE.exec(line);
          if (other) {
            lastCode = other[1];
            complete = true;
          }
        }
      }
    }
    const opened = Number(code);
    const numeric = Number(lastCode ?? code);
    for (const value of [opened, numeric]) {
      if (value < 100 || value > 599)
        return { replies, rest: buffer.slice(start), problem: `reply code ${value} is outside 100-599` };
    }
    const reply: FtpReply = {
      code: numeric,
      lines,
      message: messageOf(lines, code as string, lastCode ?? (code as string)),
    };
    if (lastCode !== undefined) reply.openedWith = opened;
    replies.push(reply);
  }
}

/** RFC 959 reply classes. */
export const isPreliminary = (reply: FtpReply): boolean => reply.code >= 100 && reply.code < 200;
export const isCompletion = (reply: FtpReply): boolean => reply.code >= 200 && reply.code < 300;
export const isIntermediate = (reply: FtpReply): boolean => reply.code >= 300 && reply.code < 400;
export const isNegative = (reply: FtpReply): boolean => reply.code >= 400;
