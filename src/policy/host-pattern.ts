/**
 * The values of host rules (`<host>` in appliesTo, allow/deny on `host` and `proxy.host`):
 *  - an address in any notation (`127.0.0.1`, `0x7f000001`, `::1`): one IP address;
 *  - a CIDR block (`10.0.0.0/8`, `::1/128`): a network;
 *  - anything else is a name glob (`*.corp.example`), matched against the canonical host.
 * Addresses and blocks match an IP-literal host and the address actually dialed; name globs
 * match the canonical host name only (a glob never matches an address a name resolved to).
 * Pure.
 */
import { addressBytes, canonicalHost, type CanonicalHost } from './canonical-host';
import { globMatches } from './glob';

export type HostPattern =
  | { kind: 'glob'; text: string; glob: string }
  | { kind: 'address'; text: string; family: 4 | 6; bytes: number[] }
  | { kind: 'cidr'; text: string; family: 4 | 6; bytes: number[]; bits: number };

const parsed = new Map<string, HostPattern | string>();

/** The pattern, or why it is not one. Cached: resolution matches on a hot path. */
export function parseHostPattern(text: string): HostPattern | string {
  let result = parsed.get(text);
  if (result === undefined) {
    result = parseUncached(text);
    parsed.set(text, result);
  }
  return result;
}

function parseUncached(text: string): HostPattern | string {
  const slash = text.indexOf('/');
  if (slash >= 0) {
    const host = canonicalHost(text.slice(0, slash));
    let bitsText = text.slice(slash + 1);
    // An IPv4-mapped IPv6 block (::ffff:10.0.0.0/104, ::ffff:0:0/96) is the IPv4 block it maps:
    // addresses are matched in their IPv4 form (canonical-host.ts).
    if (host?.kind === 'ipv4' && text.slice(0, slash).includes(':') && /^\d{1,3}$/.test(bitsText)) {
      const bits = Number(bitsText);
      if (bits < 96 || bits > 128)
        return `is an IPv4-mapped IPv6 block with a prefix length that is not 96 to 128; write the IPv4 block (::ffff:10.0.0.0/104 is 10.0.0.0/8)`;
      bitsText = String(bits - 96);
    }
    const bytes = host ? addressBytes(host) : undefined;
    if (!host || !bytes || host.host.includes('%'))
      return 'is not a CIDR block: write an IPv4 or IPv6 address, "/" and a prefix length (10.0.0.0/8, fd00::/8)';
    if (!/^\d{1,3}$/.test(bitsText) || Number(bitsText) > bytes.length * 8)
      return `has a prefix length that is not 0 to ${bytes.length * 8}`;
    const bits = Number(bitsText);
    if (
      !bytes.every((byte, i) =>
        i * 8 >= bits ? byte === 0 : i * 8 + 8 <= bits ? true : (byte & (0xff >> (bits - i * 8))) === 0,
      )
    ) {
      return `has bits set after the prefix length /${bits}; write the network address (e.g. ${networkText(host, bytes, bits)}/${bits})`;
    }
    return { kind: 'cidr', text, family: bytes.length === 4 ? 4 : 6, bytes, bits };
  }
  if (!/[*?]/.test(text)) {
    const host = canonicalHost(text);
    if (host && host.kind !== 'name')
      return { kind: 'address', text, family: host.kind === 'ipv4' ? 4 : 6, bytes: addressBytes(host) ?? [] };
    return { kind: 'glob', text, glob: host ? host.host : text.toLowerCase() };
  }
  // A glob: lower case, and the root label's trailing dot dropped, like the hosts it matches.
  const glob = text.toLowerCase().replace(/([^.])\.$/, '$1');
  return { kind: 'glob', text, glob };
}

function networkText(host: CanonicalHost, bytes: number[], bits: number): string {
  const masked = bytes.map((byte, i) =>
    i * 8 >= bits ? 0 : i * 8 + 8 <= bits ? byte : byte & (0xff << (8 - (bits - i * 8))),
  );
  if (host.kind === 'ipv4') return masked.join('.');
  const words = [];
  for (let i = 0; i < 16; i += 2) words.push(((masked[i] << 8) | masked[i + 1]).toString(16));
  return canonicalHost(words.join(':'))?.host ?? words.join(':');
}

/** Whether `bytes` (an address) and `network` agree in their first `bits` bits (same family only). */
export function inBlock(bytes: readonly number[], network: readonly number[], bits: number): boolean {
  if (bytes.length !== network.length) return false;
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if ((bytes[i] & mask) !== (network[i] & mask)) return false;
  }
  return true;
}

/** Whether an address pattern (address or CIDR) covers an IP address. Globs never do. */
export function patternCoversAddress(pattern: HostPattern, address: CanonicalHost): boolean {
  if (pattern.kind === 'glob') return false;
  const bytes = addressBytes(address);
  if (!bytes) return false;
  const covers = (candidate: number[]): boolean =>
    pattern.kind === 'address'
      ? candidate.length === pattern.bytes.length && candidate.every((b, i) => b === pattern.bytes[i])
      : inBlock(candidate, pattern.bytes, pattern.bits);
  // The unspecified address (0.0.0.0, ::) is dialed as this machine (Linux, BSD): a rule that
  // covers the loopback address covers it too, so `deny 127.0.0.0/8` can't be passed by `0.0.0.0`.
  return covers(bytes) || (bytes.every((b) => b === 0) && covers(loopbackBytes(bytes.length)));
}

/** 127.0.0.1 or ::1. */
function loopbackBytes(length: number): number[] {
  return length === 4 ? [127, 0, 0, 1] : [...new Array<number>(15).fill(0), 1];
}

/**
 * Whether a host rule matches a host as written (canonical): a name glob matches the name (or
 * the address text of an IP-literal host), an address or block matches an IP-literal host.
 */
export function patternMatchesHost(pattern: HostPattern, host: CanonicalHost): boolean {
  if (pattern.kind === 'glob') return globMatches(pattern.glob, host.host);
  return host.kind !== 'name' && patternCoversAddress(pattern, host);
}

/** Parses a list of patterns, dropping the invalid ones (the policy parser reports those). */
export function hostPatterns(texts: readonly string[]): HostPattern[] {
  return texts.map(parseHostPattern).filter((p): p is HostPattern => typeof p !== 'string');
}

export function isAddressPattern(pattern: HostPattern): boolean {
  return pattern.kind !== 'glob';
}

/** Whether `text` matches any pattern as a host (canonicalised first); invalid hosts match nothing. */
export function hostMatchesAny(texts: readonly string[], hostText: string): boolean {
  const host = canonicalHost(hostText);
  if (!host) return false;
  return hostPatterns(texts).some((p) => patternMatchesHost(p, host));
}
