import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { opensslIn, type IssuedPem } from '../../test/helpers/openssl-certificates';
import { serverCertificateProblem } from './server-certificate-rules';

// Certificates of every shape a real CA (or a careless admin) issues, made with the openssl CLI
// so that they are what other tools produce, not what our own test PKI builder can express.
let dir: string;
let make: ReturnType<typeof opensslIn>;
type Issued = IssuedPem;
const openssl = (...args: string[]): void => make.openssl(...args);
const makeCa = (name: string, options: { key?: string; digest?: string; issuer?: Issued } = {}): Issued =>
  make.ca(name, options);
const makeLeaf = (
  name: string,
  issuer: Issued,
  options: { key?: string; digest?: string; extensions?: string[] } = {},
): Issued => make.leaf(name, issuer, options);

/** The leaf as Node's TLS layer would describe it to checkServerIdentity. */
function peer(leaf: X509Certificate): PeerCertificate {
  return { subject: { CN: 'localhost' }, subjectaltname: leaf.subjectAltName } as unknown as PeerCertificate;
}

function problem(chain: Issued[], options: { serverName?: string; validateChain?: boolean } = {}): string | undefined {
  const certificates = chain.map((c) => c.certificate);
  return serverCertificateProblem({
    chain: certificates,
    leaf: peer(certificates[0]!),
    serverName: options.serverName ?? 'localhost',
    validateChain: options.validateChain ?? true,
  });
}

let ca: Issued;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-cert-rules-'));
  make = opensslIn(dir);
  ca = makeCa('root');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('server certificate rules', () => {
  it('accepts what a browser accepts: SAN, serverAuth, RSA 2048, SHA-256; EC P-256 and P-384 too', () => {
    expect(problem([makeLeaf('good', ca), ca])).toBeUndefined();
    openssl('ecparam', '-name', 'prime256v1', '-out', 'p256.param');
    openssl('ecparam', '-name', 'secp384r1', '-out', 'p384.param');
    expect(problem([makeLeaf('p256', ca, { key: 'ec:p256.param' }), ca])).toBeUndefined();
    const ecCa = makeCa('ec-ca', { key: 'ec:p384.param' });
    expect(problem([makeLeaf('p384', ecCa, { key: 'ec:p384.param', digest: 'sha384' }), ecCa])).toBeUndefined();
  });

  it('refuses a certificate without subjectAltName, whose CN names the host (Node would accept it)', () => {
    const noSan = makeLeaf('no-san', ca, { extensions: ['basicConstraints=CA:FALSE'] });
    expect(problem([noSan, ca])).toMatch(/no subjectAltName.*CN "localhost"/);
  });

  it('does not fall back to the CN when the SAN has only addresses', () => {
    const ipOnly = makeLeaf('ip-only', ca, { extensions: ['subjectAltName=IP:127.0.0.1'] });
    expect(problem([ipOnly, ca], { serverName: 'localhost' })).toMatch(/does not name localhost/);
    expect(problem([ipOnly, ca], { serverName: '127.0.0.1' })).toBeUndefined();
  });

  it('refuses a server certificate that is a CA, and one for clients only', () => {
    expect(
      problem([
        makeLeaf('leaf-ca', ca, { extensions: ['subjectAltName=DNS:localhost', 'basicConstraints=CA:TRUE'] }),
        ca,
      ]),
    ).toMatch(/is a CA certificate/);
    expect(
      problem([
        makeLeaf('client-only', ca, { extensions: ['subjectAltName=DNS:localhost', 'extendedKeyUsage=clientAuth'] }),
        ca,
      ]),
    ).toMatch(/lacks serverAuth/);
    expect(
      problem([
        makeLeaf('any-eku', ca, {
          extensions: ['subjectAltName=DNS:localhost', 'extendedKeyUsage=serverAuth,clientAuth'],
        }),
        ca,
      ]),
    ).toBeUndefined();
  });

  it('refuses weak keys on the leaf and on a CA: RSA 1024, a non-NIST curve', () => {
    expect(problem([makeLeaf('rsa1024', ca, { key: 'rsa:1024' }), ca])).toMatch(
      /server certificate has an RSA key of 1024 bits/,
    );
    const weakCa = makeCa('weak-ca', { key: 'rsa:1024' });
    expect(problem([makeLeaf('under-weak-ca', weakCa), weakCa])).toMatch(
      /CA certificate "CN=weak-ca" has an RSA key of 1024 bits/,
    );
    openssl('ecparam', '-name', 'secp256k1', '-out', 'k1.param');
    expect(problem([makeLeaf('k1', ca, { key: 'ec:k1.param' }), ca])).toMatch(/curve secp256k1/);
  });

  it('refuses SHA-1 signatures on the leaf and on an intermediate, but not on a self-signed root', () => {
    expect(problem([makeLeaf('sha1-leaf', ca, { digest: 'sha1' }), ca])).toMatch(
      /signed with sha1WithRSAEncryption: the signature digest algorithm is too weak/,
    );
    const intermediate = makeCa('sha1-intermediate', { issuer: ca, digest: 'sha1' });
    expect(problem([makeLeaf('under-sha1-intermediate', intermediate), intermediate, ca])).toMatch(
      /CA certificate "CN=sha1-intermediate" is signed with sha1WithRSAEncryption/,
    );
    const sha1Root = makeCa('sha1-root', { digest: 'sha1' });
    expect(problem([makeLeaf('under-sha1-root', sha1Root), sha1Root])).toBeUndefined();
  });

  it('with chain validation off (a pin authenticates), keys and signatures still count, names do not', () => {
    const noSan = makeLeaf('pinned-no-san', ca, { extensions: ['basicConstraints=CA:FALSE'] });
    expect(problem([noSan], { validateChain: false })).toBeUndefined();
    expect(problem([makeLeaf('pinned-1024', ca, { key: 'rsa:1024' })], { validateChain: false })).toMatch(/1024 bits/);
  });
});
