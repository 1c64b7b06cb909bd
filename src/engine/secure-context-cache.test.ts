/**
 * One secure context per TLS configuration: every connection of a session (and every session
 * with the same settings) gets the same context object, any change of trust, identity or offer
 * gets another, and a PEM that OpenSSL refuses is a profile error that names the settings.
 */
import { generateKeyPairSync } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { FtpsctlError } from '../errors';
import { secureContextsBuilt, sharedSecureContext, type SecureContextInputs } from './secure-context-cache';
import { tlsConnectOptions } from './tls-options';
import { tlsOffer } from './tls-profile';
import { applyDefaults } from '../settings/apply-defaults';

const offer = tlsOffer({
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.3',
  encryptionStrength: 'default',
  fipsMode: false,
});
// Any well-formed certificate will do as "a CA": take two of Node's bundled roots.
const caA = rootCertificates[0];
const caB = rootCertificates[1];

function inputs(overrides: Partial<SecureContextInputs> = {}): SecureContextInputs {
  return { offer, useSystemTrustStore: false, caPems: [caA], settingsName: 'tls.pki', ...overrides };
}

describe('sharedSecureContext', () => {
  it('hands out the same context for the same inputs, and builds it once', () => {
    const first = sharedSecureContext(inputs({ caPems: [caA, caB] }));
    const built = secureContextsBuilt();
    expect(sharedSecureContext(inputs({ caPems: [caA, caB] }))).toBe(first);
    expect(sharedSecureContext({ ...inputs({ caPems: [caA, caB] }) })).toBe(first);
    expect(secureContextsBuilt()).toBe(built);
  });

  it.each([
    ['another CA', { caPems: [caB] }],
    ['the system store', { useSystemTrustStore: true }],
    [
      'another offer',
      { offer: tlsOffer({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', encryptionStrength: 256, fipsMode: false }) },
    ],
    [
      'FIPS algorithms',
      {
        offer: tlsOffer({
          minVersion: 'TLSv1.2',
          maxVersion: 'TLSv1.3',
          encryptionStrength: 'default',
          fipsMode: true,
        }),
      },
    ],
    ['the same CAs split differently', { caPems: [caA.slice(0, 10), caA.slice(10)] }],
  ] as Array<[string, Partial<SecureContextInputs>]>)('builds another context for %s', (_what, change) => {
    const base = sharedSecureContext(inputs());
    let other: unknown;
    try {
      other = sharedSecureContext(inputs(change));
    } catch (error) {
      // A split PEM is refused by OpenSSL: that is another context too (none), never the cached one.
      expect(error).toBeInstanceOf(FtpsctlError);
      return;
    }
    expect(other).not.toBe(base);
  });

  it('keys the client identity and its passphrase without keeping them as text', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'open sesame' })
      .toString();
    // A key without its certificate is no identity: OpenSSL is not asked, the key is ignored.
    const withoutCert = sharedSecureContext(inputs({ clientKeyPem: key, clientKeyPassphrase: 'open sesame' }));
    expect(withoutCert).not.toBe(sharedSecureContext(inputs({ clientKeyPem: key, clientKeyPassphrase: 'another' })));
  });

  it.each([
    ['a CRL that is not a CRL', { crlPems: ['-----BEGIN X509 CRL-----\nbm90IGEgQ1JM\n-----END X509 CRL-----\n'] }],
  ] as Array<[string, Partial<SecureContextInputs>]>)(
    'refuses %s with a profile error naming the settings, not the PEM',
    (_what, change) => {
      let caught: unknown;
      try {
        sharedSecureContext(inputs({ ...change, settingsName: 'tls.pki' }));
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(FtpsctlError);
      expect(caught).toMatchObject({ code: 'FTPSCTL_ERR_PROFILE_INVALID' });
      expect((caught as Error).message).toMatch(/^tls\.pki: OpenSSL cannot use the TLS settings/);
      expect((caught as Error).message).not.toContain('BEGIN');
    },
  );
});

describe('tlsConnectOptions', () => {
  const settings = applyDefaults({
    name: 't',
    host: '127.0.0.1',
    user: 'u',
    password: { env: 'X' },
    tls: { serverName: 'localhost', pki: { useSystemTrustStore: true } },
  });

  it('gives every connection of a configuration the same context, with the per-connection checks on', () => {
    const control = tlsConnectOptions({ tls: settings.tls, material: { caPem: caA, crlPems: [] } });
    const data = tlsConnectOptions({
      tls: settings.tls,
      material: { caPem: caA, crlPems: [] },
      session: Buffer.from('ticket'),
    });
    expect(data.secureContext).toBe(control.secureContext);
    expect(data.session).toEqual(Buffer.from('ticket'));
    expect(control.rejectUnauthorized).toBe(true);
    expect(control.servername).toBe('localhost');
    expect(typeof control.checkServerIdentity).toBe('function');
    // Trust, identity and the offer live in the context only: nothing rebuilds them per connection.
    expect(control).not.toHaveProperty('ca');
    expect(control).not.toHaveProperty('ciphers');
  });

  it('checks the name from tls.serverName, whatever host the socket was opened to', () => {
    const options = tlsConnectOptions({ tls: settings.tls, material: { crlPems: [] } });
    const cert = { subject: { CN: 'elsewhere.example' }, subjectaltname: 'DNS:elsewhere.example' } as never;
    // Node's Error class differs from jest's realm: compare the messages.
    expect(options.checkServerIdentity?.('localhost', cert)?.message).toMatch(
      /Host: localhost\. is not in the cert's altnames/,
    );
    expect(options.checkServerIdentity?.('elsewhere.example', cert)?.message).toMatch(
      /Host: localhost\. is not in the cert's altnames/,
    );
  });
});

describe('trust of a shared context', () => {
  // A real handshake: which contexts trust a server whose certificate only the test CA signed.
  it('adds the CA file to its own copy of the system store, never to the shared one', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const tls = await import('node:tls');
    const { createTestPki } = await import('../loopback/pki');
    const dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-context-trust-'));
    const pki = await createTestPki(dir, { keyType: 'ec' });
    const server = tls.createServer({ cert: pki.server.cert, key: pki.server.key }, (socket) =>
      socket.on('error', () => undefined).end(),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    let port = (server.address() as { port: number }).port;
    const revokedServer = tls.createServer({ cert: pki.revoked.cert, key: pki.revoked.key }, (socket) =>
      socket.on('error', () => undefined).end(),
    );
    const verdict = (secureContext: import('node:tls').SecureContext): Promise<string> =>
      new Promise((resolve) => {
        const socket = tls.connect(
          { port, host: '127.0.0.1', servername: 'localhost', secureContext, rejectUnauthorized: false },
          () => {
            resolve(socket.authorized ? 'trusted' : String(socket.authorizationError));
            socket.destroy();
          },
        );
        socket.on('error', (error) => resolve(error.message));
      });
    try {
      const systemAndCa = sharedSecureContext(inputs({ useSystemTrustStore: true, caPems: [pki.ca] }));
      const systemOnly = sharedSecureContext(inputs({ useSystemTrustStore: true, caPems: [] }));
      const caOnly = sharedSecureContext(inputs({ useSystemTrustStore: false, caPems: [pki.ca] }));
      const nothing = sharedSecureContext(inputs({ useSystemTrustStore: false, caPems: [] }));
      expect(await verdict(systemAndCa)).toBe('trusted');
      expect(await verdict(systemOnly)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      expect(await verdict(caOnly)).toBe('trusted');
      expect(await verdict(nothing)).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
      // Built after the one with the test CA: still no trace of it.
      expect(await verdict(sharedSecureContext(inputs({ useSystemTrustStore: true, caPems: [caB] })))).toBe(
        'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      );
      // CRLs (tls.pki.revocation "crl") apply on top of the system store too.
      const { readFileSync } = await import('node:fs');
      const crl = readFileSync(pki.crlFile, 'utf8');
      revokedServer.listen(0, '127.0.0.1');
      await new Promise((resolve) => revokedServer.once('listening', resolve));
      port = (revokedServer.address() as { port: number }).port;
      for (const useSystemTrustStore of [true, false]) {
        expect(
          await verdict(sharedSecureContext(inputs({ useSystemTrustStore, caPems: [pki.ca], crlPems: [crl] }))),
        ).toBe('CERT_REVOKED');
        expect(await verdict(sharedSecureContext(inputs({ useSystemTrustStore, caPems: [pki.ca] })))).toBe('trusted');
      }
    } finally {
      revokedServer.close();
      server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
