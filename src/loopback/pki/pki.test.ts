import { execFile } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { createTestPki, type TestPki } from './index';

const execFileAsync = promisify(execFile);
const OPENSSL = '/usr/bin/openssl';

/** Starts a TLS server on 127.0.0.1:0, connects a client, and reports 'ok' or the client's error code. */
async function handshake(
  serverOptions: tls.TlsOptions,
  clientOptions: tls.ConnectionOptions,
  onServerSocket: (socket: tls.TLSSocket) => void = () => undefined,
): Promise<string> {
  const server = tls.createServer(serverOptions, (socket) => {
    onServerSocket(socket);
    socket.end('hello');
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    return await new Promise<string>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', ...clientOptions });
      socket.once('secureConnect', () => {
        socket.once('data', () => {
          socket.destroy();
          resolve('ok');
        });
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.destroy();
        resolve(error.code ?? error.message);
      });
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('createTestPki', () => {
  let dir: string;
  let pki: TestPki;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ftpsctl-pki-'));
    pki = await createTestPki(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every file it names, keys with mode 0600', async () => {
    expect(await readFile(pki.caFile, 'utf8')).toBe(pki.ca);
    expect(await readFile(pki.server.certFile, 'utf8')).toBe(pki.server.cert);
    expect(await readFile(pki.server.keyFile, 'utf8')).toBe(pki.server.key);
    for (const keyFile of [pki.server.keyFile, pki.client.keyFile, pki.client.encryptedKeyFile, pki.serverBundleFile]) {
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    }
    const bundle = await readFile(pki.serverBundleFile, 'utf8');
    expect(bundle).toBe(pki.server.key + pki.server.cert + pki.ca);
    expect(await readFile(pki.serverChainFile, 'utf8')).toBe(pki.server.cert + pki.ca);
    expect(await readFile(pki.crlFile, 'utf8')).toMatch(/^-----BEGIN X509 CRL-----\n/);
  });

  it('produces certificates that Node parses, with the names, validity and fingerprints promised', () => {
    const ca = new X509Certificate(pki.ca);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toContain('CN=ftpsctl test CA');

    const server = new X509Certificate(pki.server.cert);
    expect(server.ca).toBe(false);
    expect(server.subject).toContain('CN=localhost');
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('wrong.example')).toBeUndefined();
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.fingerprint256).toBe(pki.server.sha256);
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(Date.parse(server.validFrom)).toBeLessThan(Date.now() - 23 * 3600 * 1000);
    expect(Date.parse(server.validTo)).toBeGreaterThan(Date.now() + 364 * 24 * 3600 * 1000);
    expect(server.serialNumber).toMatch(/^[0-9A-F]{32}$/);

    const wrongHost = new X509Certificate(pki.wrongHost.cert);
    expect(wrongHost.checkHost('wrong.example')).toBe('wrong.example');
    expect(wrongHost.checkHost('localhost')).toBeUndefined();
    expect(wrongHost.checkIP('127.0.0.1')).toBeUndefined();

    expect(Date.parse(new X509Certificate(pki.expired.cert).validTo)).toBeLessThan(Date.now());
    expect(new X509Certificate(pki.client.cert).keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);

    const fingerprints = [
      pki.server,
      pki.expired,
      pki.wrongHost,
      pki.selfSigned,
      pki.untrusted,
      pki.revoked,
      pki.client,
    ].map((pair) => pair.sha256);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    for (const fingerprint of fingerprints) expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('signs with the right keys', () => {
    const caKey = new X509Certificate(pki.ca).publicKey;
    for (const pair of [pki.server, pki.expired, pki.wrongHost, pki.revoked, pki.client]) {
      expect(new X509Certificate(pair.cert).verify(caKey)).toBe(true);
    }
    expect(new X509Certificate(pki.ca).verify(caKey)).toBe(true);
    const selfSigned = new X509Certificate(pki.selfSigned.cert);
    expect(selfSigned.verify(selfSigned.publicKey)).toBe(true);
    expect(selfSigned.verify(caKey)).toBe(false);
    const untrusted = new X509Certificate(pki.untrusted.cert);
    expect(untrusted.verify(caKey)).toBe(false);
  });

  it('pairs each certificate with its key', () => {
    for (const pair of [
      pki.server,
      pki.expired,
      pki.wrongHost,
      pki.selfSigned,
      pki.untrusted,
      pki.revoked,
      pki.client,
    ]) {
      expect(new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
    }
  });

  describe('in real TLS handshakes', () => {
    it('accepts the server certificate by name and by IP', async () => {
      expect(await handshake(serverWith(pki.server), { ca: pki.ca })).toBe('ok');
      // Without servername, Node checks the certificate against the host it dialled: 127.0.0.1.
      expect(await handshake(serverWith(pki.server), { ca: pki.ca, servername: undefined })).toBe('ok');
      expect(await handshake(serverWith(pki.wrongHost), { ca: pki.ca, servername: undefined })).toBe(
        'ERR_TLS_CERT_ALTNAME_INVALID',
      );
    });

    it('refuses the broken certificates with the expected codes', async () => {
      expect(await handshake(serverWith(pki.expired), { ca: pki.ca })).toBe('CERT_HAS_EXPIRED');
      expect(await handshake(serverWith(pki.wrongHost), { ca: pki.ca })).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(await handshake(serverWith(pki.selfSigned), { ca: pki.ca })).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(await handshake(serverWith(pki.untrusted), { ca: pki.ca })).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    });

    it('trusts the untrusted certificate when its own CA is given', async () => {
      expect(await handshake(serverWith(pki.untrusted), { ca: await readFile(pki.untrusted.caFile, 'utf8') })).toBe(
        'ok',
      );
    });

    it('refuses the revoked certificate only when the CRL is given', async () => {
      const crl = await readFile(pki.crlFile, 'utf8');
      expect(await handshake(serverWith(pki.revoked), { ca: pki.ca })).toBe('ok');
      expect(await handshake(serverWith(pki.revoked), { ca: pki.ca, crl })).toBe('CERT_REVOKED');
      expect(await handshake(serverWith(pki.server), { ca: pki.ca, crl })).toBe('ok');
    });

    it('authenticates the client certificate, also with the encrypted key', async () => {
      const peers: Array<{ authorized: boolean; subject: string }> = [];
      const record = (socket: tls.TLSSocket): void => {
        peers.push({ authorized: socket.authorized, subject: String(socket.getPeerCertificate().subject.CN) });
      };
      const mutual: tls.TlsOptions = {
        ...serverWith(pki.server),
        requestCert: true,
        rejectUnauthorized: true,
        ca: pki.ca,
      };
      expect(await handshake(mutual, { ca: pki.ca, cert: pki.client.cert, key: pki.client.key }, record)).toBe('ok');
      const encryptedKey = await readFile(pki.client.encryptedKeyFile, 'utf8');
      expect(encryptedKey).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
      expect(
        await handshake(
          mutual,
          { ca: pki.ca, cert: pki.client.cert, key: encryptedKey, passphrase: pki.client.passphrase },
          record,
        ),
      ).toBe('ok');
      expect(peers).toEqual([
        { authorized: true, subject: 'ftpsctl test client' },
        { authorized: true, subject: 'ftpsctl test client' },
      ]);
    });

    it('loads the server from the one-file bundle', async () => {
      const bundle = await readFile(pki.serverBundleFile, 'utf8');
      expect(await handshake({ cert: bundle, key: bundle }, { ca: pki.ca })).toBe('ok');
    });
  });

  const withOpenssl = existsSync(OPENSSL) ? it : it.skip;
  withOpenssl('passes openssl verify, with and without the CRL', async () => {
    const verify = async (...args: string[]): Promise<string> => {
      try {
        const { stdout } = await execFileAsync(OPENSSL, ['verify', ...args]);
        return stdout.trim();
      } catch (error) {
        const failure = error as { stdout?: string; stderr?: string };
        return `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim();
      }
    };
    const withCrl = ['-CAfile', pki.caFile, '-crl_check', '-CRLfile', pki.crlFile];
    expect(await verify(...withCrl, '-purpose', 'sslserver', pki.server.certFile)).toBe(`${pki.server.certFile}: OK`);
    expect(await verify(...withCrl, '-purpose', 'sslclient', pki.client.certFile)).toBe(`${pki.client.certFile}: OK`);
    expect(await verify(...withCrl, pki.revoked.certFile)).toContain('certificate revoked');
    expect(await verify('-CAfile', pki.caFile, pki.revoked.certFile)).toBe(`${pki.revoked.certFile}: OK`);
    expect(await verify(...withCrl, pki.expired.certFile)).toContain('certificate has expired');
    expect(
      await verify(
        '-CAfile',
        pki.caFile,
        '-verify_hostname',
        'localhost',
        '-verify_ip',
        '127.0.0.1',
        pki.server.certFile,
      ),
    ).toBe(`${pki.server.certFile}: OK`);
    expect(await verify('-CAfile', pki.caFile, '-verify_hostname', 'localhost', pki.wrongHost.certFile)).toContain(
      'hostname mismatch',
    );
    expect(await verify('-CAfile', pki.caFile, pki.untrusted.certFile)).toContain(
      'unable to get local issuer certificate',
    );
    expect(await verify('-CAfile', pki.untrusted.caFile, pki.untrusted.certFile)).toBe(`${pki.untrusted.certFile}: OK`);
    const crlText = await execFileAsync(OPENSSL, ['crl', '-in', pki.crlFile, '-noout', '-text']);
    expect(crlText.stdout).toContain('Version 2');
    expect(crlText.stdout).toContain('X509v3 CRL Number');
    expect(crlText.stdout).toContain('X509v3 Authority Key Identifier');
    expect(crlText.stdout).toContain(new X509Certificate(pki.revoked.cert).serialNumber);
  });

  it('makes EC P-256 PKIs too', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'ftpsctl-pki-ec-'));
    try {
      const ec = await createTestPki(other, { keyType: 'ec' });
      expect(new X509Certificate(ec.server.cert).publicKey.asymmetricKeyType).toBe('ec');
      expect(await handshake(serverWith(ec.server), { ca: ec.ca })).toBe('ok');
      expect(await handshake(serverWith(ec.expired), { ca: ec.ca })).toBe('CERT_HAS_EXPIRED');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

function serverWith(pair: { cert: string; key: string }): tls.TlsOptions {
  return { cert: pair.cert, key: pair.key };
}
