import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { createTestPki } from '../loopback/pki';
import { buildCrl } from '../loopback/pki/build-crl';
import { toPem as pem } from '../loopback/pki/pem';
import { crlIssuerName, crlIssuerNames } from './certificate-der';

describe('crlIssuerName / crlIssuerNames (RFC 5280 §5.1)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-crl-der-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads the issuer of the test PKI's CRL in the order it is stored", async () => {
    const pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
    expect(crlIssuerNames(readFileSync(pki.crlFile, 'utf8'))).toEqual(['O=ftpsctl testbed, CN=ftpsctl test CA']);
  });

  const crlBy = (commonName: string, organization?: string): Buffer => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    return buildCrl({
      issuer: {
        name: { commonName, ...(organization !== undefined ? { organization } : {}) },
        key: { privateKey, publicKey },
      },
      revokedSerials: [],
      thisUpdate: new Date(),
      nextUpdate: new Date(Date.now() + 86_400_000),
      crlNumber: 1n,
    });
  };

  it('reads every CRL of a file with several, and UTF-8 names; control characters become ?', () => {
    const file = [
      'text before the blocks is ignored\n',
      pem('X509 CRL', crlBy('Zürich Root CA', 'Bank AG')),
      pem('CERTIFICATE', Buffer.from('not a CRL')),
      pem('X509 CRL', crlBy('evil\r\n{"event":1}\u2028CA')),
    ].join('');
    expect(crlIssuerNames(file)).toEqual(['O=Bank AG, CN=Zürich Root CA', 'CN=evil??{"event":1}?CA']);
  });

  it('leaves out blocks that are not readable CRLs', () => {
    expect(crlIssuerNames(pem('X509 CRL', Buffer.from([0x30, 0x03, 0x30, 0x01, 0x00])))).toEqual([]);
    expect(crlIssuerNames('-----BEGIN X509 CRL-----\n!!!\n-----END X509 CRL-----\n')).toEqual([]);
    expect(crlIssuerNames('')).toEqual([]);
  });

  it('never throws on any bytes or text (fuzz)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const name = crlIssuerName(Buffer.from(bytes));
        expect(name === undefined || typeof name === 'string').toBe(true);
      }),
      { numRuns: 2000 },
    );
    const real = crlBy('Fuzz CA', 'Org');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: real.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const damaged = Buffer.from(real);
        damaged[at] = value;
        crlIssuerName(damaged);
        crlIssuerName(real.subarray(0, at));
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (text) => Array.isArray(crlIssuerNames(text))));
  });
});
