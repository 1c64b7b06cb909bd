/**
 * The TLS parameters a session offers, from its resolved settings: protocol versions, cipher
 * suites for the requested encryption strength, and FIPS-approved algorithms only in FIPS
 * mode. And the checks applied after the handshake, because what is offered is not always
 * what is negotiated. Pure.
 */

export type TlsVersionName = 'TLSv1.2' | 'TLSv1.3';
export type EncryptionStrength = 'default' | 128 | 256;

export interface TlsProfileSettings {
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName;
  encryptionStrength: EncryptionStrength;
  fipsMode: boolean;
}

/** What goes into tls.connect() (besides trust, identity and session). */
export interface TlsOffer {
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName;
  /** OpenSSL cipher string; TLS 1.3 suite names included, as Node accepts both in one option. */
  ciphers: string;
  ecdhCurve: string;
  /** Signature algorithms (FIPS mode only; otherwise OpenSSL's defaults). */
  sigalgs?: string;
}

const TLS13_128 = ['TLS_AES_128_GCM_SHA256'];
const TLS13_256 = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const TLS12_128 = ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'];
const TLS12_256 = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
];

/** FIPS 140-approved: AES-GCM only (no ChaCha20), P-256/P-384 (no X25519), SHA-2 signatures. */
const FIPS_TLS13 = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'];
const FIPS_TLS12 = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
];
export const FIPS_CURVES = 'P-256:P-384:P-521';
/**
 * Every FIPS 186 / SP 800-52r2 signature scheme a server may use (RFC 8446 §4.2.3 names):
 * ECDSA on P-256/384/521 with SHA-2, RSA-PSS with rsaEncryption and with RSASSA-PSS keys, and
 * RSA PKCS#1 v1.5 with SHA-2 (TLS 1.2 and certificate signatures).
 */
export const FIPS_SIGALGS = [
  'ecdsa_secp256r1_sha256',
  'ecdsa_secp384r1_sha384',
  'ecdsa_secp521r1_sha512',
  'rsa_pss_rsae_sha256',
  'rsa_pss_rsae_sha384',
  'rsa_pss_rsae_sha512',
  'rsa_pss_pss_sha256',
  'rsa_pss_pss_sha384',
  'rsa_pss_pss_sha512',
  'rsa_pkcs1_sha256',
  'rsa_pkcs1_sha384',
  'rsa_pkcs1_sha512',
].join(':');
/**
 * OpenSSL security level 2 (112-bit security): refuses RSA and DH keys under 2048 bits and
 * SHA-1 signatures in the chain ("EE certificate key too weak", "CA signature digest algorithm
 * too weak"), as Debian's OpenSSL does by default; Node's bundled OpenSSL runs at level 1.
 */
export const SECURITY_LEVEL = '@SECLEVEL=2';

/** Forward-secret AEAD suites only, even at "default": no RSA key exchange, no CBC, no 3DES. */
export function tlsOffer(settings: TlsProfileSettings): TlsOffer {
  const strong = settings.encryptionStrength === 256;
  let suites: string[];
  if (settings.fipsMode) {
    suites = [...FIPS_TLS13, ...FIPS_TLS12].filter((s) => !strong || keyBits(s) === 256);
  } else {
    suites = strong ? [...TLS13_256, ...TLS12_256] : [...TLS13_256, ...TLS13_128, ...TLS12_256, ...TLS12_128];
  }
  const offer: TlsOffer = {
    minVersion: settings.minVersion,
    maxVersion: settings.maxVersion,
    ciphers: [...suites, SECURITY_LEVEL].join(':'),
    ecdhCurve: settings.fipsMode ? FIPS_CURVES : 'X25519:P-256:P-384',
  };
  if (settings.fipsMode) offer.sigalgs = FIPS_SIGALGS;
  return offer;
}

/** Symmetric key bits of a suite, from its OpenSSL or IANA name; 0 when unknown. */
export function keyBits(cipherName: string): number {
  const name = cipherName.toUpperCase();
  if (/AES[-_]?256|CHACHA20/.test(name)) return 256;
  if (/AES[-_]?128/.test(name)) return 128;
  return 0;
}

export interface NegotiatedTls {
  protocol: string;
  cipherName: string;
  /** The named group of the key exchange (ECDH curve), when Node reports it. */
  group?: string;
  /** Server certificate key size in bits and type ('RSA' | 'EC' | ...). */
  serverKeyBits?: number;
  serverKeyType?: string;
}

/** Why the negotiated parameters do not meet the settings, or undefined when they do. */
export function negotiatedProblem(settings: TlsProfileSettings, negotiated: NegotiatedTls): string | undefined {
  const order: TlsVersionName[] = ['TLSv1.2', 'TLSv1.3'];
  const version = order.indexOf(negotiated.protocol as TlsVersionName);
  if (version < 0 || version < order.indexOf(settings.minVersion) || version > order.indexOf(settings.maxVersion)) {
    return `the server negotiated ${negotiated.protocol}, outside ${settings.minVersion}..${settings.maxVersion}`;
  }
  const bits = keyBits(negotiated.cipherName);
  const wanted = settings.encryptionStrength === 'default' ? 128 : settings.encryptionStrength;
  if (bits < wanted)
    return `the server negotiated ${negotiated.cipherName} (${bits || 'unknown'}-bit), below the required ${wanted}-bit encryption strength`;
  if (settings.fipsMode) {
    if (/CHACHA20/i.test(negotiated.cipherName))
      return `the server negotiated ${negotiated.cipherName}, which is not FIPS-approved`;
    if (
      negotiated.group !== undefined &&
      !/^(P-256|P-384|P-521|prime256v1|secp384r1|secp521r1)$/i.test(negotiated.group)
    )
      return `the key exchange used ${negotiated.group}, which is not a FIPS-approved group (P-256, P-384, P-521)`;
    if (negotiated.serverKeyType === 'RSA' && negotiated.serverKeyBits !== undefined && negotiated.serverKeyBits < 2048)
      return `the server's RSA key has ${negotiated.serverKeyBits} bits; FIPS mode needs at least 2048`;
  }
  return undefined;
}
