/**
 * Pinned servers, two kinds:
 *  - `tls.pki.pinnedSha256`: SHA-256 fingerprints of the server certificate (DER), compared in
 *    one canonical form (`AB:CD:…`); a renewed certificate has a new fingerprint;
 *  - `tls.pki.pinnedPublicKeySha256`: curl's `--pinnedpubkey` form, `sha256//` + base64 of the
 *    SHA-256 of the certificate's DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7, the same input
 *    as HPKP's pin-sha256, RFC 7469 §2.4); a renewal that keeps the key keeps the pin.
 * When both kinds are set, the server must match both (each is a promise the admin made).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { SessionError } from '../errors';

/** `ab:cd…`, `ABCD…` and `AB CD…` all become `AB:CD:…`. */
export function canonicalFingerprint(text: string): string {
  const hex = text.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.match(/.{2}/g)?.join(':') ?? '';
}

export function pinMatches(pins: readonly string[], fingerprint256: string): boolean {
  const actual = canonicalFingerprint(fingerprint256);
  return pins.some((pin) => canonicalFingerprint(pin) === actual);
}

/**
 * The public key pin of a certificate as curl prints and takes it: `sha256//` + base64
 * (standard alphabet, padded: 44 characters) of SHA-256(DER SubjectPublicKeyInfo).
 * @param certificate the certificate, DER (as `PeerCertificate.raw`) or PEM
 */
export function publicKeyPin(certificate: Buffer | string): string {
  const spki = new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256//${createHash('sha256').update(spki).digest('base64')}`;
}

/** Exact match (base64 is case-sensitive); surrounding white space is ignored. */
export function publicKeyPinMatches(pins: readonly string[], actual: string): boolean {
  return pins.some((pin) => pin.trim() === actual);
}

export interface PinSettings {
  pinnedSha256?: string[];
  pinnedPublicKeySha256?: string[];
}

/** Whether any pin of either kind is set (what lets validateCertificateChain be false). */
export function hasPins(pki: PinSettings): boolean {
  return (pki.pinnedSha256?.length ?? 0) > 0 || (pki.pinnedPublicKeySha256?.length ?? 0) > 0;
}

/** The server's certificate as the pins see it. */
export interface PinnedIdentity {
  /** SHA-256 of the certificate DER, `AB:CD:…` (PeerCertificate.fingerprint256). */
  fingerprint256: string;
  /** The certificate DER (PeerCertificate.raw), from which the public key pin is computed. */
  raw: Buffer;
}

export interface PinMismatch {
  setting: 'tls.pki.pinnedSha256' | 'tls.pki.pinnedPublicKeySha256';
  expected: string[];
  actual: string;
}

/** The pins the server fails (empty when every kind that is set matches, or none is set). Pure. */
export function pinMismatches(pki: PinSettings, server: PinnedIdentity): PinMismatch[] {
  const out: PinMismatch[] = [];
  const certificatePins = pki.pinnedSha256 ?? [];
  if (certificatePins.length > 0 && !pinMatches(certificatePins, server.fingerprint256)) {
    out.push({
      setting: 'tls.pki.pinnedSha256',
      expected: certificatePins.map(canonicalFingerprint),
      actual: canonicalFingerprint(server.fingerprint256),
    });
  }
  const keyPins = pki.pinnedPublicKeySha256 ?? [];
  if (keyPins.length > 0) {
    const actual = publicKeyPin(server.raw);
    if (!publicKeyPinMatches(keyPins, actual))
      out.push({ setting: 'tls.pki.pinnedPublicKeySha256', expected: keyPins.map((p) => p.trim()), actual });
  }
  return out;
}

/** The server matches none of the pins of a kind: FTPSCTL_ERR_PIN_MISMATCH (exit 5), expected and actual values in the message and in `--json` details. */
export class PinMismatchError extends SessionError {
  constructor(
    readonly mismatches: PinMismatch[],
    host: string,
    channel: string,
  ) {
    const lines = mismatches.map((m) =>
      m.setting === 'tls.pki.pinnedSha256'
        ? `the certificate's SHA-256 is ${m.actual}, and ${m.setting} expects ${m.expected.join(' or ')}`
        : `the server's public key pin is ${m.actual}, and ${m.setting} expects ${m.expected.join(' or ')}`,
    );
    super(
      'FTPSCTL_ERR_PIN_MISMATCH',
      `the server ${host} (${channel} connection) does not match the pinned values: ${lines.join('; ')}. If the server's certificate or key was replaced on purpose, pin the new value`,
      { host },
    );
  }

  override details(): Record<string, unknown> {
    return { ...super.details(), pins: this.mismatches };
  }
}

/** Throws PinMismatchError unless the server matches every kind of pin that is set. */
export function checkPins(pki: PinSettings, server: PinnedIdentity, host: string, channel: string): void {
  const mismatches = pinMismatches(pki, server);
  if (mismatches.length > 0) throw new PinMismatchError(mismatches, host, channel);
}
