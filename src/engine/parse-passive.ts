/**
 * Data-connection addresses from PASV (RFC 959) and EPSV (RFC 2428) replies. Pure. The NAT
 * rule (never a data connection to a third host) is applied by the caller with the result.
 */
import type { FtpReply } from './parse-reply';

export type PassiveAddress = { host: string; port: number } | { problem: string };

/** `227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)`; the parentheses are optional in the wild. */
export function parsePasvReply(reply: FtpReply): PassiveAddress {
  if (reply.code !== 227) return { problem: `PASV answered ${reply.code} ${reply.message}` };
  const match = /(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})/.exec(reply.message);
  if (!match) return { problem: `PASV reply has no address: ${JSON.stringify(reply.message.slice(0, 80))}` };
  const numbers = match.slice(1).map(Number);
  if (numbers.some((n) => n > 255)) return { problem: `PASV reply has a number above 255: ${match[0]}` };
  const port = numbers[4] * 256 + numbers[5];
  if (port === 0) return { problem: 'PASV reply names port 0' };
  return { host: numbers.slice(0, 4).join('.'), port };
}

/** `229 Entering Extended Passive Mode (|||6446|)`: only a port; the host is the control peer. */
export function parseEpsvReply(reply: FtpReply): { port: number } | { problem: string } {
  if (reply.code !== 229) return { problem: `EPSV answered ${reply.code} ${reply.message}` };
  const match = /\((.)\1\1(\d{1,5})\1\)/.exec(reply.message);
  if (!match) return { problem: `EPSV reply has no port: ${JSON.stringify(reply.message.slice(0, 80))}` };
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return { problem: `EPSV reply names port ${port}` };
  return { port };
}
