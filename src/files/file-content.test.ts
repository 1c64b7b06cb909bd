import fc from 'fast-check';
import { SAMPLE_CA_PEM, SAMPLE_CRL_PEM } from '../../test/fixtures/pem/sample-pem';
import { fileContentProblem, firstLine } from './file-content';

const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n';
const der = (pem: string): Buffer => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('fileContentProblem', () => {
  it('accepts what each kind needs', () => {
    expect(fileContentProblem('certificates', bytes(SAMPLE_CA_PEM + SAMPLE_CA_PEM), 'ca.pem')).toBeUndefined();
    expect(fileContentProblem('crl', bytes(SAMPLE_CRL_PEM), 'x.crl')).toBeUndefined();
    expect(fileContentProblem('privateKey', bytes(KEY_PEM), 'k.pem')).toBeUndefined();
    expect(
      fileContentProblem('privateKey', bytes(KEY_PEM.replace(/PRIVATE KEY/g, 'ENCRYPTED PRIVATE KEY')), 'k.pem'),
    ).toBeUndefined();
    expect(fileContentProblem('secret', bytes('pw\n'), 'pw', 0o600, 'linux')).toBeUndefined();
  });

  it.each<[string, Buffer, string]>([
    ['an empty file', Buffer.alloc(0), 'is empty; it must hold PEM certificates'],
    ['a private key', bytes(KEY_PEM), 'holds a private key; it must hold PEM certificates'],
    ['a CRL', bytes(SAMPLE_CRL_PEM), 'holds a CRL; it must hold PEM certificates'],
    [
      'a DER certificate',
      der(SAMPLE_CA_PEM),
      'is binary (DER or PKCS#12), not PEM text; it must hold PEM certificates (-----BEGIN CERTIFICATE-----); convert DER with: openssl x509 -inform der',
    ],
    ['text', bytes('hello\n'), 'holds no PEM block'],
  ])('refuses %s as certificates, saying what it is', (_what, content, said) => {
    expect(fileContentProblem('certificates', content, 'ca.pem')).toContain(said);
  });

  it('refuses a certificate block that does not parse, and certificates given as a key or CRL', () => {
    const broken = SAMPLE_CA_PEM.replace(/\n[A-Za-z0-9+/]{10}/, '\nAAAAAAAAAA');
    expect(fileContentProblem('certificates', bytes(broken), 'ca.pem')).toContain('not a valid X.509 certificate');
    expect(fileContentProblem('privateKey', bytes(SAMPLE_CA_PEM), 'k.pem')).toContain(
      'holds certificates; it must hold a PEM private key',
    );
    expect(fileContentProblem('crl', bytes(SAMPLE_CA_PEM), 'x.crl')).toContain(
      'holds certificates; it must hold a PEM CRL',
    );
  });

  it('refuses a secret others can read (POSIX only) or with an empty first line', () => {
    expect(fileContentProblem('secret', bytes('pw\n'), '/p/pw', 0o644, 'linux')).toBe(
      'can be read by others (mode 644); run: chmod 600 /p/pw',
    );
    expect(fileContentProblem('secret', bytes('pw\n'), '/p/pw', 0o644, 'win32')).toBeUndefined();
    expect(fileContentProblem('secret', bytes(''), '/p/pw', 0o600, 'linux')).toContain('empty first line');
    expect(fileContentProblem('secret', bytes('\r\nrest'), '/p/pw', 0o600, 'linux')).toContain('empty first line');
  });

  it('takes the first line up to LF, CRLF or a lone CR, without a BOM', () => {
    expect(firstLine(bytes('\uFEFFpw\r\nnext'))).toBe('pw');
    expect(firstLine(bytes('pw\r'))).toBe('pw');
    expect(firstLine(bytes('pw'))).toBe('pw');
  });

  it('never throws, whatever the bytes (fuzz)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('certificates', 'privateKey', 'crl', 'secret', 'profile') as fc.Arbitrary<
          'certificates' | 'privateKey' | 'crl' | 'secret' | 'profile'
        >,
        fc.uint8Array({ maxLength: 300 }),
        (kind, content) => {
          const problem = fileContentProblem(kind, content, 'f', 0o600, 'linux');
          expect(problem === undefined || typeof problem === 'string').toBe(true);
        },
      ),
    );
  });
});
