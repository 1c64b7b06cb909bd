/** Pinned server certificates: SHA-256 fingerprints compared in one canonical form. Pure. */

/** `ab:cd…`, `ABCD…` and `AB CD…` all become `AB:CD:…`. */
export function canonicalFingerprint(text: string): string {
  const hex = text.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? '';
}

export function pinMatches(pins: readonly string[], fingerprint256: string): boolean {
  const actual = canonicalFingerprint(fingerprint256);
  return pins.some((pin) => canonicalFingerprint(pin) === actual);
}
