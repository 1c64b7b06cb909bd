import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { exitCodeFor } from '../errors/exit-codes';
import { createTestPki, type TestPki } from '../loopback/pki';
import {
  canonicalFingerprint,
  checkPins,
  hasPins,
  pinMatches,
  PinMismatchError,
  pinMismatches,
  publicKeyPin,
  publicKeyPinMatches,
} from './certificate-pins';

const FP = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

describe('certificate pins', () => {
  it('canonicalises lower case, no separators and spaces to upper-case colon pairs', () => {
    expect(canonicalFingerprint(FP.toLowerCase())).toBe(FP);
    expect(canonicalFingerprint(FP.replace(/:/g, ''))).toBe(FP);
    expect(canonicalFingerprint(FP.replace(/:/g, ' '))).toBe(FP);
  });
  it('matches any of the pins and nothing else', () => {
    expect(pinMatches(['00:11', FP.toLowerCase()], FP)).toBe(true);
    expect(pinMatches([FP.slice(0, -2) + '88'], FP)).toBe(false);
    expect(pinMatches([], FP)).toBe(false);
  });
  it('hasPins counts either kind', () => {
    expect(hasPins({})).toBe(false);
    expect(hasPins({ pinnedSha256: [], pinnedPublicKeySha256: [] })).toBe(false);
    expect(hasPins({ pinnedSha256: [FP] })).toBe(true);
    expect(hasPins({ pinnedPublicKeySha256: ['sha256//x'] })).toBe(true);
  });
});

describe('public key pins (curl --pinnedpubkey sha256//BASE64)', () => {
  let pki: TestPki;
  let dir: string;
  const der = (pem: string): Buffer => new X509Certificate(pem).raw;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-pins-'));
    pki = await createTestPki(dir, { keyType: 'ec' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("equals what curl's documented openssl recipe computes (SHA-256 of the DER SubjectPublicKeyInfo, base64)", () => {
    // curl's man page, --pinnedpubkey: openssl x509 -pubkey | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | openssl enc -base64
    const spki = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], {
      input: execFileSync('openssl', ['x509', '-in', pki.server.certFile, '-pubkey', '-noout']),
    });
    const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: spki });
    expect(publicKeyPin(der(pki.server.cert))).toBe(`sha256//${digest.toString('base64')}`);
    expect(publicKeyPin(pki.server.cert)).toMatch(/^sha256\/\/[A-Za-z0-9+/]{43}=$/);
  });

  it('survives a renewal with the same key: two certificates, one key, one pin, two fingerprints', () => {
    // The test PKI signs `server` and `revoked` (another serial: a renewal) with the same server key.
    const original = der(pki.server.cert);
    const renewed = der(pki.revoked.cert);
    expect(pki.server.sha256).not.toBe(pki.revoked.sha256);
    const pin = publicKeyPin(original);
    expect(publicKeyPin(renewed)).toBe(pin);
    expect(
      pinMismatches({ pinnedPublicKeySha256: [pin] }, { fingerprint256: pki.revoked.sha256, raw: renewed }),
    ).toEqual([]);
    // The certificate fingerprint of the original does not survive the renewal.
    expect(
      pinMismatches({ pinnedSha256: [pki.server.sha256] }, { fingerprint256: pki.revoked.sha256, raw: renewed }),
    ).toEqual([{ setting: 'tls.pki.pinnedSha256', expected: [pki.server.sha256], actual: pki.revoked.sha256 }]);
  });

  it('does not match a certificate with another key; the error shows the expected pins and the actual value (exit 5)', () => {
    const clientPin = publicKeyPin(der(pki.client.cert));
    const serverPin = publicKeyPin(der(pki.server.cert));
    expect(publicKeyPinMatches([clientPin], serverPin)).toBe(false);
    expect(publicKeyPinMatches([` ${serverPin} `], serverPin)).toBe(true);
    let error: unknown;
    try {
      checkPins(
        { pinnedPublicKeySha256: [clientPin, 'sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='] },
        { fingerprint256: pki.server.sha256, raw: der(pki.server.cert) },
        'ftp.example.com',
        'control',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PinMismatchError);
    const mismatch = error as PinMismatchError;
    expect(mismatch.code).toBe('FTPSCTL_ERR_PIN_MISMATCH');
    expect(exitCodeFor(mismatch.code)).toBe(5);
    expect(mismatch.message).toBe(
      `the server ftp.example.com (control connection) does not match the pinned values: the server's public key pin is ${serverPin}, and tls.pki.pinnedPublicKeySha256 expects ${clientPin} or sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=. If the server's certificate or key was replaced on purpose, pin the new value`,
    );
    expect(mismatch.details()).toEqual({
      host: 'ftp.example.com',
      pins: [
        {
          setting: 'tls.pki.pinnedPublicKeySha256',
          expected: [clientPin, 'sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='],
          actual: serverPin,
        },
      ],
    });
  });

  it('with both kinds set, both must match', () => {
    const server = { fingerprint256: pki.server.sha256, raw: der(pki.server.cert) };
    const pin = publicKeyPin(server.raw);
    expect(pinMismatches({ pinnedSha256: [pki.server.sha256], pinnedPublicKeySha256: [pin] }, server)).toEqual([]);
    expect(
      pinMismatches({ pinnedSha256: [pki.expired.sha256], pinnedPublicKeySha256: [pin] }, server).map((m) => m.setting),
    ).toEqual(['tls.pki.pinnedSha256']);
    const both = pinMismatches(
      { pinnedSha256: [pki.expired.sha256], pinnedPublicKeySha256: [publicKeyPin(der(pki.client.cert))] },
      server,
    );
    expect(both.map((m) => m.setting)).toEqual(['tls.pki.pinnedSha256', 'tls.pki.pinnedPublicKeySha256']);
    expect(() => checkPins({ pinnedSha256: [pki.expired.sha256] }, server, 'h', 'data')).toThrow(
      `the server h (data connection) does not match the pinned values: the certificate's SHA-256 is ${pki.server.sha256}, and tls.pki.pinnedSha256 expects ${pki.expired.sha256}. If the server's certificate or key was replaced on purpose, pin the new value`,
    );
  });

  it('checks nothing when no pin is set', () => {
    expect(pinMismatches({}, { fingerprint256: pki.server.sha256, raw: der(pki.server.cert) })).toEqual([]);
  });
});
