/**
 * Sessions through an HTTPS CONNECT and a SOCKS5 proxy (minimal Node proxies, so this runs
 * everywhere; squid and dante are in the integration suite): PROT P with session reuse
 * through the tunnel, a CONNECT per data connection, and no connection to the FTP server
 * at all when the proxy refuses the credentials.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { openSession } from '../../src/engine';
import { engineSettingsFor } from '../helpers/engine-settings';
import { startMiniHttpsProxy, startMiniSocks5, type MiniProxy, type TunnelBehaviour } from '../helpers/mini-proxies';

const PASSWORD = 'ftp-secret-proxy-test';
const PROXY_PASSWORD = 'proxy-secret-4e1a';
let pki: TestPki;
let dir: string;
let server: EmbeddedServer;
let root: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-engine-proxy-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
  root = mkdtempSync(path.join(dir, 'root-'));
  server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: pki.server.cert, key: pki.server.key },
  });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

function settingsVia(proxy: MiniProxy, type: 'https-connect' | 'socks5', user = 'proxyuser') {
  return engineSettingsFor(server.port, pki.caFile, {
    proxy: {
      enabled: true,
      type,
      host: '127.0.0.1',
      port: proxy.port,
      serverName: 'localhost',
      ...(type === 'https-connect' ? { caFile: pki.caFile } : {}),
      authorization: { user, password: { env: 'UNUSED' } },
    },
  });
}

describe.each([
  [
    'https-connect',
    (tunnel?: TunnelBehaviour) =>
      startMiniHttpsProxy({
        cert: pki.server.cert,
        key: pki.server.key,
        user: 'proxyuser',
        password: PROXY_PASSWORD,
        tunnel,
      }),
  ],
  ['socks5', (tunnel?: TunnelBehaviour) => startMiniSocks5({ user: 'proxyuser', password: PROXY_PASSWORD, tunnel })],
] as const)('through a %s proxy', (type, start) => {
  // The CI failure of 2026-11-30: squid 5.7 under load cut a PROT P upload (vsftpd: 426 Failure
  // reading network stream) because the client's FIN followed its close_notify at once.
  it.each([
    ['a PROT P upload', 524_288],
    ['an empty PROT P upload', 0],
    ['a 3 MiB PROT P upload', 3 * 1024 * 1024],
  ])(
    '%s through a tunnel torn down on the client FIN (squid) arrives whole: the FIN waits for the 226',
    async (_, size) => {
      const proxy = await start('squid');
      try {
        const session = await openSession(settingsVia(proxy, type), {
          password: PASSWORD,
          proxyPassword: PROXY_PASSWORD,
        });
        try {
          const payload = randomBytes(size);
          const local = path.join(dir, `${type}-squid-${size}.bin`);
          writeFileSync(local, payload);
          for (const round of [1, 2]) {
            const put = await session.put(local, `${type}-squid-${size}-${round}.bin`, { verify: 'hash' });
            expect(put).toMatchObject({ bytes: size, encrypted: true });
            expect(sha256(readFileSync(path.join(root, `${type}-squid-${size}-${round}.bin`)))).toBe(sha256(payload));
          }
        } finally {
          await session.close();
        }
      } finally {
        await proxy.stop();
      }
    },
  );

  it('PROT C through that tunnel: the FIN is the only end of the data, so a cut upload fails its size check (never a success)', async () => {
    const proxy = await start('squid');
    try {
      const settings = settingsVia(proxy, type);
      const session = await openSession(
        { ...settings, tls: { ...settings.tls, encryptDataChannel: false } },
        {
          password: PASSWORD,
          proxyPassword: PROXY_PASSWORD,
        },
      );
      try {
        const local = path.join(dir, `${type}-squid-clear.bin`);
        writeFileSync(local, randomBytes(524_288));
        await expect(session.put(local, `${type}-squid-clear.bin`)).rejects.toMatchObject({
          code: 'FTPSCTL_ERR_VERIFY',
        });
      } finally {
        await session.close();
      }
    } finally {
      await proxy.stop();
    }
  });

  it('gets, puts and lists with PROT P, each data connection its own tunnel, resuming the TLS session', async () => {
    const proxy = await start();
    try {
      const before = server.connections;
      const session = await openSession(settingsVia(proxy, type), {
        password: PASSWORD,
        proxyPassword: PROXY_PASSWORD,
      });
      const payload = randomBytes(200_000);
      const local = path.join(dir, `${type}-up.bin`);
      writeFileSync(local, payload);
      await session.put(local, `${type}.bin`, { verify: 'hash' });
      expect(sha256(readFileSync(path.join(root, `${type}.bin`)))).toBe(sha256(payload));
      expect((await session.list()).map((e) => e.name)).toContain(`${type}.bin`);
      const result = await session.get(`${type}.bin`, path.join(dir, `${type}-down.bin`), {
        verify: 'hash',
        sha256: true,
      });
      expect(result).toMatchObject({ sha256: sha256(payload), sessionResumed: true, encrypted: true });
      const info = session.tlsInfo();
      expect(info?.dataConnectionsResumed).toBe(3);
      await session.close();
      expect(proxy.tunnels).toBe(4); // control + three data connections
      expect(server.connections - before).toBe(1);
    } finally {
      await proxy.stop();
    }
  });

  it('with a wrong proxy password: FTPSCTL_ERR_PROXY_AUTH, and the FTP server sees no connection', async () => {
    const proxy = await start();
    try {
      const before = server.connections;
      await expect(
        openSession(settingsVia(proxy, type), { password: PASSWORD, proxyPassword: 'wrong' }),
      ).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_PROXY_AUTH',
        message: expect.stringContaining('check proxy.authorization'),
      });
      expect(proxy.tunnels).toBe(0);
      expect(server.connections).toBe(before);
    } finally {
      await proxy.stop();
    }
  });
});

describe('https-connect specifics', () => {
  it('an invalid proxy certificate is a certificate error (exit 5 class) naming the proxy', async () => {
    const proxy = await startMiniHttpsProxy({
      cert: pki.expired.cert,
      key: pki.expired.key,
      user: 'proxyuser',
      password: PROXY_PASSWORD,
    });
    try {
      await expect(
        openSession(settingsVia(proxy, 'https-connect'), { password: PASSWORD, proxyPassword: PROXY_PASSWORD }),
      ).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_CERT_EXPIRED',
        message: expect.stringContaining('https-connect proxy 127.0.0.1'),
      });
      expect(proxy.requests).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('a target the proxy refuses is FTPSCTL_ERR_PROXY_REFUSED with the proxy reason', async () => {
    const proxy = await startMiniHttpsProxy({
      cert: pki.server.cert,
      key: pki.server.key,
      user: 'proxyuser',
      password: PROXY_PASSWORD,
      refuse: () => true,
    });
    try {
      await expect(
        openSession(settingsVia(proxy, 'https-connect'), { password: PASSWORD, proxyPassword: PROXY_PASSWORD }),
      ).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PROXY_REFUSED', message: expect.stringContaining('403 Forbidden') });
    } finally {
      await proxy.stop();
    }
  });
});
