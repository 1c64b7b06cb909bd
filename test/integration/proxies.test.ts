/**
 * The security proxy against real proxies from Debian's packages: squid (HTTPS CONNECT
 * with TLS to the client and basic authentication) and dante (SOCKS5, RFC 1929), both on
 * 127.0.0.1, in front of vsftpd (PROT P, session reuse required). Missing or wrong proxy
 * credentials: the FTP server receives no connection at all.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHostileServer } from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startHttpsConnectProxy, startSocks5Proxy, type RunningProxy } from '../../packages/testbed/src/proxies';
import { describeWithProxy } from '../../packages/testbed/src/proxies/describe-with-proxy';
import { startVsftpd, type RealServer } from '../../packages/testbed/src/real-servers';
import { describeWithServer } from '../../packages/testbed/src/real-servers/describe-with-server';
import { openSession } from '../../src/engine';
import { engineSettingsFor } from '../helpers/engine-settings';

jest.setTimeout(90_000);

let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-real-proxies-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function viaProxy(port: number, ftpUser: string, proxy: RunningProxy, proxyUser = proxy.user) {
  return engineSettingsFor(port, pki.caFile, {
    user: ftpUser,
    proxy: {
      enabled: true,
      type: proxy.kind,
      host: '127.0.0.1',
      port: proxy.port,
      serverName: 'localhost',
      ...(proxy.kind === 'https-connect' ? { caFile: pki.caFile } : {}),
      authorization: { user: proxyUser, password: { env: 'UNUSED' } },
    },
  });
}

const kinds = [
  [
    'https-connect',
    'squid (HTTPS CONNECT, TLS to the proxy, basic auth)',
    () => startHttpsConnectProxy({ tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile } }),
  ],
  ['socks5', 'dante (SOCKS5, username/password)', () => startSocks5Proxy({})],
] as const;

for (const [kind, title, startProxy] of kinds) {
  describeWithProxy(kind, title, () => {
    describeWithServer('vsftpd', `through ${kind} to vsftpd`, () => {
      let proxy: RunningProxy;
      let server: RealServer;
      beforeAll(async () => {
        proxy = await startProxy();
        server = await startVsftpd({
          mode: 'explicit',
          tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile },
        });
      });
      afterAll(async () => {
        await server?.stop();
        await proxy?.stop();
      });

      it('ls, put and get with PROT P, every data connection resuming the TLS session through its own tunnel', async () => {
        const session = await openSession(viaProxy(server.port, server.user, proxy), {
          password: server.password,
          proxyPassword: proxy.password,
        });
        try {
          const payload = randomBytes(512 * 1024);
          const local = path.join(dir, `${kind}-up.bin`);
          writeFileSync(local, payload);
          const put = await session.put(local, 'via-proxy.bin', { sha256: true });
          expect(put).toMatchObject({
            bytes: payload.length,
            encrypted: true,
            sessionResumed: true,
            verifiedBy: 'size',
          });
          expect(sha256(readFileSync(path.join(server.root, 'via-proxy.bin')))).toBe(sha256(payload));
          expect((await session.list()).map((e) => e.name)).toEqual(['via-proxy.bin']);
          const down = path.join(dir, `${kind}-down.bin`);
          const get = await session.get('via-proxy.bin', down, { sha256: true });
          expect(get).toMatchObject({ sha256: sha256(payload), encrypted: true, sessionResumed: true });
          expect(session.tlsInfo()).toMatchObject({
            version: 'TLSv1.3',
            protection: 'P',
            dataConnections: 3,
            dataConnectionsResumed: 3,
          });
        } finally {
          await session.close();
        }
      });
    });

    it('with wrong or missing proxy credentials the FTP server receives no connection at all', async () => {
      const proxy = await startProxy();
      const ftp = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
      try {
        await expect(
          openSession(viaProxy(ftp.port, 'alice', proxy), { password: 'x', proxyPassword: 'not-the-proxy-password' }),
        ).rejects.toMatchObject({
          code: 'FTPSCTL_ERR_PROXY_AUTH',
          message: expect.stringContaining('check proxy.authorization'),
        });
        await expect(
          openSession(viaProxy(ftp.port, 'alice', proxy, 'nobody-here'), { password: 'x' }),
        ).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PROXY_AUTH' });
        expect(ftp.connections).toBe(0);
      } finally {
        await ftp.stop();
        await proxy.stop();
      }
    });
  });
}

describeWithProxy('https-connect', 'squid refusals', () => {
  it('an invalid proxy certificate is a certificate error, and a refused target is FTPSCTL_ERR_PROXY_REFUSED with the reason', async () => {
    const proxy = await startHttpsConnectProxy({
      tls: { certFile: pki.wrongHost.certFile, keyFile: pki.wrongHost.keyFile },
    });
    try {
      await expect(
        openSession(viaProxy(21, 'alice', proxy), { password: 'x', proxyPassword: proxy.password }),
      ).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_CERT_HOSTNAME',
        message: expect.stringContaining('https-connect proxy 127.0.0.1'),
      });
    } finally {
      await proxy.stop();
    }
    const good = await startHttpsConnectProxy({ tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile } });
    try {
      const settings = viaProxy(21, 'alice', good);
      await expect(
        openSession({ ...settings, host: '127.0.0.2' }, { password: 'x', proxyPassword: good.password }),
      ).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PROXY_REFUSED', message: expect.stringContaining('403 Forbidden') });
    } finally {
      await good.stop();
    }
  });
});
