/**
 * Certificates a browser would refuse (issue 12, defect 11), against the hostile server: each
 * refusal is exit 5 (a security failure) before USER, with the reason in words. The
 * certificates come from the openssl CLI, as a real CA or a careless admin would make them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHostileServer } from '../../packages/testbed/src/hostile-server';
import { openSession } from '../../src/engine';
import { exitCodeFor, isFtpsctlError } from '../../src/errors';
import { engineSettingsFor, type ProfileOverrides } from '../helpers/engine-settings';
import { opensslIn, type IssuedPem } from '../helpers/openssl-certificates';

jest.setTimeout(60_000);

let dir: string;
let make: ReturnType<typeof opensslIn>;
let ca: IssuedPem;
const openssl = (...args: string[]): void => make.openssl(...args);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-cert-engine-'));
  make = opensslIn(dir);
  ca = make.ca('ca');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function leaf(
  name: string,
  options: { key?: string; digest?: string; extensions: string[] },
): { cert: string; key: string } {
  const issued = make.leaf(name, ca, options);
  return { cert: issued.cert, key: issued.key };
}

async function attempt(
  pki: { cert: string; key: string },
  overrides: ProfileOverrides = {},
): Promise<{ error?: unknown; commands: string[] }> {
  const server = await startHostileServer({}, { pki });
  try {
    const settings = engineSettingsFor(server.port, path.join(dir, 'ca.pem'), {
      tls: { serverName: 'localhost', ...overrides.tls } as ProfileOverrides['tls'],
    });
    try {
      const session = await openSession(settings, { password: 'rules-secret' });
      await session.close();
      return { commands: server.commands() };
    } catch (error) {
      return { error, commands: server.commands() };
    }
  } finally {
    await server.stop();
  }
}

function expectSecurityRefusal(result: { error?: unknown; commands: string[] }, reason: RegExp): void {
  expect(isFtpsctlError(result.error)).toBe(true);
  const error = result.error as Error & { code: Parameters<typeof exitCodeFor>[0] };
  expect(exitCodeFor(error.code)).toBe(5);
  expect(error.message).toMatch(reason);
  expect(result.commands).not.toContain('USER');
  expect(result.commands).not.toContain('PASS');
}

describe('server certificates a browser refuses are refused before USER (exit 5)', () => {
  it('accepts a certificate that keeps every rule (the baseline)', async () => {
    const good = leaf('good', { extensions: ['subjectAltName=DNS:localhost', 'extendedKeyUsage=serverAuth'] });
    const result = await attempt(good);
    expect(result.error).toBeUndefined();
    expect(result.commands).toContain('USER');
  });

  it('CN=localhost without subjectAltName (Node alone accepts it)', async () => {
    expectSecurityRefusal(
      await attempt(leaf('cn-only', { extensions: ['basicConstraints=CA:FALSE'] })),
      /no subjectAltName/,
    );
  });

  it("an RSA 1024 server key, with OpenSSL's reason in words", async () => {
    expectSecurityRefusal(
      await attempt(leaf('rsa1024', { key: 'rsa:1024', extensions: ['subjectAltName=DNS:localhost'] })),
      /key too weak|1024 bits/i,
    );
  });

  it('a SHA-1 signed server certificate', async () => {
    expectSecurityRefusal(
      await attempt(leaf('sha1', { digest: 'sha1', extensions: ['subjectAltName=DNS:localhost'] })),
      /too weak|sha1/i,
    );
  });

  it('a certificate for clients only, and a CA certificate as server certificate', async () => {
    expectSecurityRefusal(
      await attempt(
        leaf('client-only', { extensions: ['subjectAltName=DNS:localhost', 'extendedKeyUsage=clientAuth'] }),
      ),
      /serverAuth|not for TLS servers|purpose/i,
    );
    expectSecurityRefusal(
      await attempt(
        leaf('leaf-ca', {
          extensions: [
            'subjectAltName=DNS:localhost',
            'basicConstraints=critical,CA:TRUE',
            'keyUsage=critical,keyCertSign,digitalSignature',
          ],
        }),
      ),
      /CA certificate|not a valid CA|purpose|serverAuth/i,
    );
  });
});

describe('FIPS mode accepts every FIPS-approved signature scheme a server may use', () => {
  it.each([
    ['ECDSA P-256, SHA-256', 'ec:p256.param', 'sha256'],
    ['ECDSA P-384, SHA-384', 'ec:p384.param', 'sha384'],
    ['ECDSA P-521, SHA-512', 'ec:p521.param', 'sha512'],
    ['RSA 3072, SHA-384', 'rsa:3072', 'sha384'],
    ['RSASSA-PSS key', 'rsa-pss', 'sha256'],
  ])('%s', async (_name, key, digest) => {
    for (const curve of ['prime256v1:p256', 'secp384r1:p384', 'secp521r1:p521']) {
      const [name, file] = curve.split(':') as [string, string];
      openssl('ecparam', '-name', name, '-out', `${file}.param`);
    }
    const pki = leaf(`fips-${key.replace(/[^a-z0-9]/gi, '')}-${digest}`, {
      key,
      digest,
      extensions: ['subjectAltName=DNS:localhost', 'extendedKeyUsage=serverAuth'],
    });
    const result = await attempt(pki, { tls: { fipsMode: true, minVersion: 'TLSv1.3' } });
    expect(result.error).toBeUndefined();
    expect(result.commands).toContain('USER');
  });
});
