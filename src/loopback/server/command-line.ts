/**
 * The control connection's wire format, as pure functions: cutting CRLF-terminated lines
 * out of the received bytes and splitting them into verb and argument (RFC 959 4.1).
 */

export type LineScan =
  | { kind: 'line'; line: string; rest: Buffer }
  | { kind: 'incomplete' }
  /** No CRLF within `maxLength` bytes: the caller refuses it and drops the bytes. */
  | { kind: 'too-long'; rest: Buffer };

const CRLF = Buffer.from('\r\n');

export function takeLine(buffer: Buffer, maxLength: number): LineScan {
  const end = buffer.indexOf(CRLF);
  if (end === -1)
    return buffer.length > maxLength ? { kind: 'too-long', rest: Buffer.alloc(0) } : { kind: 'incomplete' };
  if (end > maxLength) return { kind: 'too-long', rest: buffer.subarray(end + 2) };
  return { kind: 'line', line: buffer.subarray(0, end).toString('utf8'), rest: buffer.subarray(end + 2) };
}

export interface ParsedCommand {
  /** Upper-cased verb, e.g. `RETR`. */
  verb: string;
  /** Everything after the first space, spaces kept (file names may contain them). */
  argument: string;
  /** A bare CR or LF inside the line: a command-injection attempt, never executed. */
  hasLineBreak: boolean;
}

export function parseCommand(line: string): ParsedCommand {
  // Clients that send ABOR "urgently" put Telnet IP/Synch (IAC IP IAC DM) before it (RFC 959 4.1.3).
  const withoutTelnet = line.replace(/^(?:\xff[\xf0-\xfe])+/, '');
  const space = withoutTelnet.indexOf(' ');
  const verb = (space === -1 ? withoutTelnet : withoutTelnet.slice(0, space)).toUpperCase();
  const argument = space === -1 ? '' : withoutTelnet.slice(space + 1);
  return { verb, argument, hasLineBreak: /[\r\n]/.test(withoutTelnet) };
}

/** What a log or the `commands` record may show: never a password. */
export function describeCommand(command: ParsedCommand): string {
  if (command.verb === 'PASS') return 'PASS ****';
  return command.argument === '' ? command.verb : `${command.verb} ${command.argument}`;
}
