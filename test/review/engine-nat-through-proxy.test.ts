/**
 * Review (engine): `network.nat: false` through the security proxy. The settings reference
 * promises: "When false, a PASV address that differs from the peer ends the session with an
 * error; ftpsctl never opens a data connection to a third host." Against pure-ftpd announcing a
 * NAT address in PASV (`-P 10.1.2.3`), a direct session ends with FTPSCTL_ERR_PASV_ADDRESS, but
 * the same profile through squid (HTTPS CONNECT) or dante (SOCKS5) carries on: the engine
 * rewrites the address to the control host as if `network.nat` were true
 * (src/engine/data-connection.ts, `target.peerAddress === undefined`), and nothing (tlsInfo,
 * audit) says the setting was overridden. Safe (no third host is dialed), but the setting is
 * not honoured and the README does not mention the exception.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startHttpsConnectProxy, startSocks5Proxy, type RunningProxy } from '../../packages/testbed/src/proxies';
import { describeWithProxy } from '../../packages/testbed/src/proxies/describe-with-proxy';
import type { RealServer } from '../../packages/testbed/src/real-servers';
import { describeWithServer } from '../../packages/testbed/src/real-servers/describe-with-server';
import { openSession } from '../../src/engine';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { engineSettingsFor } from '../helpers/engine-settings';
import { startPureFtpd } from '../../packages/testbed/src/real-servers/start-pure-ftpd';

jest.setTimeout(90_000);

let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-nat-proxy-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kinds = [
  [
    'https-connect',
    () => startHttpsConnectProxy({ tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile } }),
  ],
  ['socks5', () => startSocks5Proxy({})],
] as const;

/** Fetches nat.txt with PASV only and `network.nat: false`, directly or through `proxy`. */
async function fetchWithPasv(server: RealServer, proxy?: RunningProxy): Promise<unknown> {
  const settings = engineSettingsFor(server.port, pki.caFile, {
    user: server.user,
    network: { passiveMode: 'pasv', nat: false },
    ...(proxy
      ? {
          proxy: {
            enabled: true,
            type: proxy.kind,
            host: '127.0.0.1',
            port: proxy.port,
            serverName: 'localhost',
            ...(proxy.kind === 'https-connect' ? { caFile: pki.caFile } : {}),
            authorization: { user: proxy.user, password: { env: 'UNUSED' } },
          },
        }
      : {}),
  });
  const session = await openSession(settings, {
    password: server.password,
    ...(proxy ? { proxyPassword: proxy.password } : {}),
  });
  try {
    const chunks: Buffer[] = [];
    await session.get('nat.txt', new Writable({ write: (c: Buffer, _e, done) => (chunks.push(c), done()) }));
    return Buffer.concat(chunks).toString();
  } finally {
    await session.close();
  }
}

describeWithServer('pure-ftpd', 'pure-ftpd announcing 10.1.2.3 in PASV (-P), network.nat false', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startPureFtpd({
      tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile, bundleFile: pki.serverBundleFile },
      tlsLevel: 2,
      extraArguments: ['-P', '10.1.2.3'],
    });
    writeFileSync(path.join(server.root, 'nat.txt'), 'behind NAT');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('directly: the session ends with FTPSCTL_ERR_PASV_ADDRESS (the documented behaviour)', async () => {
    await expect(fetchWithPasv(server)).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PASV_ADDRESS' });
  });

  for (const [kind, startProxy] of kinds) {
    describeWithProxy(kind, `through ${kind}`, () => {
      let proxy: RunningProxy;
      beforeAll(async () => {
        proxy = await startProxy();
      });
      afterAll(async () => {
        await proxy?.stop();
      });

      it('ends the same way: network.nat false is not silently turned into true behind a proxy', async () => {
        await expect(fetchWithPasv(server, proxy)).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PASV_ADDRESS' });
      });
    });
  }
});
