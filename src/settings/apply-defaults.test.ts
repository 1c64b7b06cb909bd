import { applyDefaults } from './apply-defaults';

describe('applyDefaults', () => {
  it('fills every schema default and the derived ones', () => {
    expect(applyDefaults({ name: 'a', host: 'ftp.example.com' })).toEqual({
      name: 'a',
      host: 'ftp.example.com',
      port: 21,
      user: 'anonymous',
      tls: {
        enabled: true,
        implicit: false,
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.3',
        encryptionStrength: 'default',
        encryptDataChannel: true,
        clearCommandChannel: false,
        validateCertificateChain: true,
        fipsMode: false,
        requireValidatedCryptoModule: false,
        serverName: 'ftp.example.com',
        pki: { useSystemTrustStore: true, revocation: 'none' },
      },
      network: { nat: false, connectTimeoutMs: 10000, idleTimeoutMs: 60000, passiveMode: 'auto', encoding: 'auto' },
      proxy: { enabled: false, type: 'https-connect' },
      transfer: {
        parallel: 4,
        resume: true,
        verify: 'size',
        listing: 'auto',
        maxListingBytes: 67108864,
        maxListingEntries: 250000,
        mirrorMaxDepth: 64,
        mirrorMaxEntries: 1000000,
      },
    });
  });

  it('uses port 990 for implicit TLS and keeps an explicit port', () => {
    expect(applyDefaults({ name: 'a', host: 'h', tls: { implicit: true } }).port).toBe(990);
    expect(applyDefaults({ name: 'a', host: 'h', port: 2121, tls: { implicit: true } }).port).toBe(2121);
  });

  it('keeps the profile values and a given server name', () => {
    const effective = applyDefaults({
      name: 'a',
      host: '192.0.2.1',
      tls: { serverName: 'ftp.example.com', minVersion: 'TLSv1.3' },
      proxy: { enabled: true, host: 'p.example', port: 3129 },
    });
    expect(effective.tls.serverName).toBe('ftp.example.com');
    expect(effective.tls.minVersion).toBe('TLSv1.3');
    expect(effective.proxy).toEqual({
      enabled: true,
      type: 'https-connect',
      host: 'p.example',
      port: 3129,
      serverName: 'p.example',
    });
  });

  it('does not modify its input', () => {
    const profile = { name: 'a', host: 'h', tls: { fipsMode: true } };
    applyDefaults(profile);
    expect(profile).toEqual({ name: 'a', host: 'h', tls: { fipsMode: true } });
  });
});
