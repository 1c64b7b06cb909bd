/** FEAT (RFC 2389): the server's extensions, by upper-case name, with their parameters. Pure. */
import type { FtpReply } from './parse-reply';

export type Features = Map<string, string>;

export function parseFeatures(reply: FtpReply): Features {
  const features: Features = new Map();
  if (reply.code !== 211) return features; // FEAT refused (500/502): no extensions known
  for (const line of reply.lines.slice(1, -1)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    // The name ends at any white space (a tab too: `MDTM\tYYYY` is MDTM), RFC 2389 §3.2.
    const space = trimmed.search(/\s/);
    const name = (space < 0 ? trimmed : trimmed.slice(0, space)).toUpperCase();
    features.set(name, space < 0 ? '' : trimmed.slice(space + 1).trim());
  }
  return features;
}

/** The HASH algorithms the server offers (`HASH SHA-256*;SHA-1;MD5`), the selected one marked. */
export function hashAlgorithms(features: Features): string[] {
  const value = features.get('HASH');
  return value === undefined
    ? []
    : value
        .split(';')
        .map((a) => a.replace(/\*$/, '').trim().toUpperCase())
        .filter(Boolean);
}
