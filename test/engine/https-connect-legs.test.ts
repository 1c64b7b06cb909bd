/**
 * Every leg through an HTTPS CONNECT proxy (the control connection and each data connection)
 * uses one secure context, and resumes the TLS session of an earlier leg that passed
 * verification; a proxy that fails verification hands out no session to resume.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { httpsConnectDialer } from '../../src/engine/proxy/https-connect-dialer';
import type { ProxyEndpoint } from '../../src/engine/proxy/proxy-target';

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-proxy-legs-'));
  pki = await createTestPki(dir, { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A proxy that says 200 to every CONNECT and remembers whether each TLS leg was resumed. */
async function answeringProxy(
  cert: string,
  key: string,
  maxVersion: 'TLSv1.2' | 'TLSv1.3',
): Promise<{ port: number; resumed: boolean[]; stop: () => void }> {
  const resumed: boolean[] = [];
  const open = new Set<TLSSocket>();
  const server = createServer({ cert, key, maxVersion }, (socket) => {
    open.add(socket);
    socket.on('error', () => undefined);
    resumed.push(socket.isSessionReused());
    socket.once('data', () => socket.write('HTTP/1.1 200 Connection established\r\n\r\n'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    resumed,
    stop: () => {
      for (const socket of open) socket.destroy();
      server.close();
    },
  };
}

const endpoint = (port: number): ProxyEndpoint => ({
  type: 'https-connect',
  host: '127.0.0.1',
  port,
  serverName: 'localhost',
  caPem: pki.ca,
  useSystemTrustStore: false,
  tls: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', encryptionStrength: 'default', fipsMode: false },
});

describe.each(['TLSv1.2', 'TLSv1.3'] as const)('https-connect legs (%s)', (version) => {
  it('resumes the first leg’s session on the later legs', async () => {
    const proxy = await answeringProxy(pki.server.cert, pki.server.key, version);
    try {
      const dial = httpsConnectDialer(endpoint(proxy.port));
      for (const purpose of ['control', 'data', 'data'] as const) {
        const leg = await dial({ host: 'ftp.example', port: 21, purpose }, 3000);
        await new Promise((resolve) => setTimeout(resolve, 30)); // TLS 1.3 tickets follow the handshake
        leg.socket.destroy();
      }
      expect(proxy.resumed).toEqual([false, true, true]);
    } finally {
      proxy.stop();
    }
  });

  it('keeps no session from a proxy that failed verification', async () => {
    const proxy = await answeringProxy(pki.wrongHost.cert, pki.wrongHost.key, version);
    try {
      const dial = httpsConnectDialer(endpoint(proxy.port));
      for (let i = 0; i < 2; i++)
        await expect(dial({ host: 'ftp.example', port: 21, purpose: 'data' }, 3000)).rejects.toMatchObject({
          code: expect.stringMatching(/^FTPSCTL_ERR_CERT/),
        });
      expect(proxy.resumed.every((r) => !r)).toBe(true);
    } finally {
      proxy.stop();
    }
  });
});
