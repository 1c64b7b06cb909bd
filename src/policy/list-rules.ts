/**
 * What an entry of an allow or deny list means, by setting: one place for the session check
 * (does this value match?) and the set check (do two lists share a value? does a deny list
 * take everything an allow list allows?), so `policy validate` and `resolve` agree.
 *
 *  - `port`, `proxy.port`: a port or a range (`990`, `1000-1100`), `*` for any;
 *  - `host`, `proxy.host`: a name glob, an IP address or a CIDR block (host-pattern.ts);
 *  - `tls.pki.pinnedPublicKeySha256`: a pin, compared exactly (base64 is case-sensitive);
 *  - `tls.pki.pinnedSha256`: a fingerprint (`AB:CD…` = `abcd…`) or a glob;
 *  - everything else (user names, file paths): a glob.
 *
 * Where two entries' overlap can't be known without the network (a name glob and an address
 * block), they are taken to overlap: the set check never calls a sound set contradictory. Pure.
 */
import { addressBytes, canonicalHost } from './canonical-host';
import { globCovers, globMatches, globsIntersect } from './glob';
import { inBlock, parseHostPattern, patternMatchesHost, type HostPattern } from './host-pattern';

const PORTS = new Set(['port', 'proxy.port']);
const HOSTS = new Set(['host', 'proxy.host']);
const FINGERPRINTS = 'tls.pki.pinnedSha256';
const KEY_PINS = 'tls.pki.pinnedPublicKeySha256';

/** A host glob as hosts are matched: lower case, the root label's trailing dot dropped. */
const hostGlob = (glob: string): string => glob.toLowerCase().replace(/([^.])\.$/, '$1');
/** A fingerprint (or a glob of one) in one spelling: hex digits only, upper case (`ab:cd` = `ABCD`). */
const fingerprint = (text: string): string => text.replace(/[:\s]/g, '').toUpperCase();
/** A glob made only of `*`: it matches everything, names and addresses alike. */
const matchesAll = (rule: string): boolean => /^\*+$/.test(rule);

/** Whether `path` is a port setting, whose list entries are ports and ranges. */
export const isPortList = (path: string): boolean => PORTS.has(path);
/** Whether `path` is a host setting, whose list entries are globs, addresses and blocks. */
export const isHostList = (path: string): boolean => HOSTS.has(path);

/** [low, high] of a port rule (`*`: every port), or undefined when it is not one. */
export function portRange(rule: string): [number, number] | undefined {
  if (rule === '*') return [1, 65535];
  const range = /^(\d+)(?:-(\d+))?$/.exec(rule);
  return range ? [Number(range[1]), Number(range[2] ?? range[1])] : undefined;
}

/** Whether the list entry `rule` of setting `path` matches `value` (a port, a host, a name, a path, a pin). */
export function ruleMatchesValue(path: string, rule: string, value: unknown): boolean {
  if (typeof value === 'number') {
    const range = portRange(rule);
    return range !== undefined && value >= range[0] && value <= range[1];
  }
  if (typeof value !== 'string') return false;
  if (path === FINGERPRINTS) return globMatches(fingerprint(rule), fingerprint(value));
  if (path === KEY_PINS) return rule === value; // base64: case matters, and pins have no wildcards
  if (HOSTS.has(path)) {
    const host = canonicalHost(value);
    const pattern = parseHostPattern(rule);
    return host !== undefined && typeof pattern !== 'string' && patternMatchesHost(pattern, host);
  }
  return globMatches(rule, value);
}

/** The IP block of an address or CIDR pattern: bytes and prefix length. */
function blockOf(pattern: HostPattern): { bytes: number[]; bits: number } | undefined {
  if (pattern.kind === 'address') return { bytes: pattern.bytes, bits: pattern.bytes.length * 8 };
  if (pattern.kind === 'cidr') return { bytes: pattern.bytes, bits: pattern.bits };
  return undefined;
}

/** Whether some value matches both entries of setting `path`. */
export function rulesIntersect(path: string, a: string, b: string): boolean {
  if (PORTS.has(path)) {
    const x = portRange(a);
    const y = portRange(b);
    return x !== undefined && y !== undefined && x[0] <= y[1] && y[0] <= x[1];
  }
  if (HOSTS.has(path)) {
    const x = parseHostPattern(a);
    const y = parseHostPattern(b);
    if (typeof x === 'string' || typeof y === 'string') return true; // unusable rules are reported elsewhere
    const bx = blockOf(x);
    const by = blockOf(y);
    if (bx && by) return inBlock(bx.bytes, by.bytes, Math.min(bx.bits, by.bits));
    if (!bx && !by) return globsIntersect(hostGlob(a), hostGlob(b));
    // A name glob and an address block: a name may resolve into the block.
    const block = (bx ?? by)!;
    const glob = bx ? b : a;
    const text = canonicalHost(glob);
    return text?.kind === 'name' || text === undefined || /[*?]/.test(glob)
      ? true
      : addressBytes(text) !== undefined && inBlock(addressBytes(text)!, block.bytes, block.bits);
  }
  if (path === FINGERPRINTS) return globsIntersect(fingerprint(a), fingerprint(b));
  if (path === KEY_PINS) return a === b;
  return globsIntersect(a, b);
}

/** Whether every value `inner` matches is also matched by `outer` (both entries of setting `path`). */
export function ruleCovers(path: string, outer: string, inner: string): boolean {
  if (PORTS.has(path)) {
    const o = portRange(outer);
    const i = portRange(inner);
    return o !== undefined && i !== undefined && o[0] <= i[0] && i[1] <= o[1];
  }
  if (HOSTS.has(path)) {
    if (matchesAll(outer)) return true;
    const o = parseHostPattern(outer);
    const i = parseHostPattern(inner);
    if (typeof o === 'string' || typeof i === 'string') return false;
    const bo = blockOf(o);
    const bi = blockOf(i);
    if (bo && bi) return bo.bits <= bi.bits && inBlock(bi.bytes, bo.bytes, bo.bits);
    if (!bo && !bi) return globCovers(hostGlob(outer), hostGlob(inner));
    return false; // a name glob never covers an address block, nor the reverse, without the network
  }
  if (path === FINGERPRINTS) return globCovers(fingerprint(outer), fingerprint(inner));
  if (path === KEY_PINS) return outer === inner;
  return globCovers(outer, inner);
}

/**
 * A glob entry in the one spelling the glob automata (glob-witness.ts) compare: host globs
 * lower case without the root label's dot, fingerprints as upper-case hex; others as written.
 */
export function comparableGlob(path: string, rule: string): string {
  if (HOSTS.has(path)) return hostGlob(rule);
  if (path === FINGERPRINTS) return fingerprint(rule);
  return rule;
}

/** Whether entries of `path` compare exactly (public key pins: base64, case matters, no wildcards). */
export function comparedExactly(path: string): boolean {
  return path === KEY_PINS;
}

/**
 * Whether `value` of a host setting is only decided when dialed: a name against an address
 * rule (its addresses are checked on the connection, resolution-dial-check.ts), so no
 * contradiction can be claimed before.
 */
export function decidedWhenDialed(path: string, rule: string, value: unknown): boolean {
  if (!HOSTS.has(path) || typeof value !== 'string' || canonicalHost(value)?.kind !== 'name') return false;
  const pattern = parseHostPattern(rule);
  return typeof pattern !== 'string' && pattern.kind !== 'glob';
}
