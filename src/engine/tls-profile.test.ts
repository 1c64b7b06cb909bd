import { getCiphers } from 'node:tls';
import { keyBits, negotiatedProblem, SECURITY_LEVEL, tlsOffer, type TlsProfileSettings } from './tls-profile';

/** The suites of an offer, without the security-level directive that ends every cipher string. */
const suites = (ciphers: string): string[] => {
  const parts = ciphers.split(':');
  expect(parts[parts.length - 1]).toBe(SECURITY_LEVEL);
  return parts.slice(0, -1);
};

const defaults: TlsProfileSettings = {
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3',
  encryptionStrength: 'default',
  fipsMode: false,
};

describe('tlsOffer', () => {
  it('offers only forward-secret AEAD suites by default', () => {
    const offer = tlsOffer(defaults);
    expect(suites(offer.ciphers)).toEqual([
      'TLS_AES_256_GCM_SHA384',
      'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_AES_128_GCM_SHA256',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-GCM-SHA384',
      'ECDHE-ECDSA-CHACHA20-POLY1305',
      'ECDHE-RSA-CHACHA20-POLY1305',
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'ECDHE-RSA-AES128-GCM-SHA256',
    ]);
    expect(offer).toMatchObject({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ecdhCurve: 'X25519:P-256:P-384' });
    expect(offer.sigalgs).toBeUndefined();
  });

  it('offers only 256-bit suites for strength 256', () => {
    expect(suites(tlsOffer({ ...defaults, encryptionStrength: 256 }).ciphers).every((s) => keyBits(s) === 256)).toBe(
      true,
    );
  });

  it('offers only FIPS-approved suites, groups and signature algorithms in FIPS mode', () => {
    const offer = tlsOffer({ ...defaults, fipsMode: true });
    expect(offer.ciphers).not.toMatch(/CHACHA/);
    expect(suites(offer.ciphers)).toEqual([
      'TLS_AES_128_GCM_SHA256',
      'TLS_AES_256_GCM_SHA384',
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'ECDHE-RSA-AES128-GCM-SHA256',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-GCM-SHA384',
    ]);
    expect(offer.ecdhCurve).toBe('P-256:P-384:P-521');
    // Every FIPS-approved scheme a server may sign with: ECDSA on each NIST curve, RSA-PSS (both key types), PKCS#1 v1.5 with SHA-2.
    expect(offer.sigalgs?.split(':')).toEqual([
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
    ]);
    expect(suites(tlsOffer({ ...defaults, fipsMode: true, encryptionStrength: 256 }).ciphers)).toEqual([
      'TLS_AES_256_GCM_SHA384',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-GCM-SHA384',
    ]);
  });

  it("names only suites this Node's OpenSSL knows", () => {
    const known = new Set(getCiphers().map((c) => c.toUpperCase()));
    for (const suite of suites(tlsOffer(defaults).ciphers))
      expect({ suite, known: known.has(suite.toUpperCase()) }).toEqual({ suite, known: true });
  });
});

describe('negotiatedProblem', () => {
  it('accepts what was offered', () => {
    expect(
      negotiatedProblem(defaults, { protocol: 'TLSv1.3', cipherName: 'TLS_AES_128_GCM_SHA256', group: 'X25519' }),
    ).toBeUndefined();
  });
  it('refuses a protocol outside the range', () => {
    expect(
      negotiatedProblem(
        { ...defaults, minVersion: 'TLSv1.3' },
        { protocol: 'TLSv1.2', cipherName: 'ECDHE-RSA-AES256-GCM-SHA384' },
      ),
    ).toBe('the server negotiated TLSv1.2, outside TLSv1.3..TLSv1.3');
    expect(negotiatedProblem(defaults, { protocol: 'TLSv1.1', cipherName: 'AES256-SHA' })).toBe(
      'the server negotiated TLSv1.1, outside TLSv1.2..TLSv1.3',
    );
  });
  it('refuses a cipher below the requested strength', () => {
    expect(
      negotiatedProblem(
        { ...defaults, encryptionStrength: 256 },
        { protocol: 'TLSv1.3', cipherName: 'TLS_AES_128_GCM_SHA256' },
      ),
    ).toBe('the server negotiated TLS_AES_128_GCM_SHA256 (128-bit), below the required 256-bit encryption strength');
  });
  it('refuses non-FIPS algorithms in FIPS mode', () => {
    const fips = { ...defaults, fipsMode: true };
    expect(negotiatedProblem(fips, { protocol: 'TLSv1.3', cipherName: 'TLS_CHACHA20_POLY1305_SHA256' })).toBe(
      'the server negotiated TLS_CHACHA20_POLY1305_SHA256, which is not FIPS-approved',
    );
    expect(
      negotiatedProblem(fips, { protocol: 'TLSv1.3', cipherName: 'TLS_AES_128_GCM_SHA256', group: 'X25519' }),
    ).toBe('the key exchange used X25519, which is not a FIPS-approved group (P-256, P-384, P-521)');
    expect(
      negotiatedProblem(fips, {
        protocol: 'TLSv1.2',
        cipherName: 'ECDHE-RSA-AES128-GCM-SHA256',
        group: 'prime256v1',
        serverKeyType: 'RSA',
        serverKeyBits: 1024,
      }),
    ).toBe("the server's RSA key has 1024 bits; FIPS mode needs at least 2048");
  });
});
