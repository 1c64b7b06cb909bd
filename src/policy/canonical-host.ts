/**
 * One canonical form of a host before any policy matching (issue 10): lower case, no trailing
 * dot, IDNA to ASCII (UTS #46 via `url.domainToASCII`), every IPv4 notation the system
 * resolver accepts (inet_aton: `127.1`, `2130706433`, `0x7f000001`, `0177.0.0.1`) as the
 * dotted quad, IPv6 compressed (RFC 5952), IPv4-mapped IPv6 (`::ffff:a.b.c.d`) as IPv4.
 * The WHATWG URL host parser implements the same IPv4 number rules as inet_aton, so a host
 * that Node would dial as 127.0.0.1 canonicalises to 127.0.0.1. Pure.
 */
import { isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';

export interface CanonicalHost {
  /** `name` (a DNS name), `ipv4` (dotted quad) or `ipv6` (compressed, no brackets). */
  kind: 'name' | 'ipv4' | 'ipv6';
  host: string;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Hosts seen lately: a resolution canonicalises the same few hosts for every policy and profile. */
const memo = new Map<string, CanonicalHost | undefined>();
const MEMO_LIMIT = 4096;

/** The canonical form of `text`, or undefined when it is not a host name or address at all. */
export function canonicalHost(text: string): CanonicalHost | undefined {
  // domainToASCII was a quarter of the 10,000-profile resolution benchmark: remember answers (a copy each time).
  let result = memo.get(text);
  if (result === undefined && !memo.has(text)) {
    result = computeCanonicalHost(text);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, result);
  }
  return result && { ...result };
}

function computeCanonicalHost(text: string): CanonicalHost | undefined {
  let host = text.trim();
  if (host === '' || /[\s/\\@#?]/.test(host)) return undefined;
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host.includes(':')) return canonicalIpv6(host);
  // One trailing dot is the root label: the same host to DNS.
  if (host.endsWith('.') && !host.endsWith('..')) host = host.slice(0, -1);
  if (host === '') return undefined;
  const ascii = domainToASCII(host);
  if (ascii === '' || ascii.includes('..') || ascii.startsWith('.') || ascii.endsWith('.')) return undefined;
  return IPV4.test(ascii) ? { kind: 'ipv4', host: ascii } : { kind: 'name', host: ascii.toLowerCase() };
}

function canonicalIpv6(text: string): CanonicalHost | undefined {
  const zone = text.indexOf('%');
  const address = zone >= 0 ? text.slice(0, zone) : text;
  if (!isIPv6(address)) return undefined;
  let compressed: string;
  try {
    compressed = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(compressed);
  if (mapped && zone < 0) {
    const high = parseInt(mapped[1], 16);
    const low = parseInt(mapped[2], 16);
    return { kind: 'ipv4', host: `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}` };
  }
  return { kind: 'ipv6', host: zone >= 0 ? `${compressed}%${text.slice(zone + 1).toLowerCase()}` : compressed };
}

/** The canonical host text, or the input lower-cased when it is no host at all (callers report that). */
export function canonicalHostText(text: string): string {
  return canonicalHost(text)?.host ?? text.trim().toLowerCase();
}

/** The 4 or 16 bytes of a canonical IP address (zone dropped), or undefined for a name. */
export function addressBytes(host: CanonicalHost): number[] | undefined {
  if (host.kind === 'ipv4') return host.host.split('.').map(Number);
  if (host.kind !== 'ipv6') return undefined;
  const address = host.host.split('%')[0];
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const words = (part: string | undefined): number[] => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const front = words(head);
  const back = words(tail);
  const all =
    tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return all.flatMap((w) => [w >> 8, w & 0xff]);
}
