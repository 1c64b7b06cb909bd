/**
 * The handshake's checks and the sessions it hands out for resumption: a server that fails
 * a check must never give us a session to resume later (resumption skips the certificate).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type Server } from 'node:tls';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { handshake } from '../../src/engine/tls-handshake';
import { tlsConnectOptions } from '../../src/engine/tls-options';
import { engineSettingsFor } from '../helpers/engine-settings';

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-handshake-'));
  pki = await createTestPki(dir, { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function tlsServer(cert: string, key: string): Promise<{ server: Server; port: number }> {
  const server = createServer({ cert, key, maxVersion: 'TLSv1.2' }, (socket) => socket.on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

const connectTcp = (port: number) =>
  new Promise<ReturnType<typeof netConnect>>((resolve) => {
    const s = netConnect(port, '127.0.0.1', () => resolve(s));
  });

describe('handshake', () => {
  it.each([
    [
      'a pin mismatch',
      (pki) => ({ cert: pki.server, overrides: { tls: { pki: { pinnedSha256: [pki.expired.sha256] } } } }),
      'FTPSCTL_ERR_PIN_MISMATCH',
    ],
    [
      'a self-signed certificate with pins only',
      (pki) => ({
        cert: pki.selfSigned,
        overrides: { tls: { validateCertificateChain: false, pki: { pinnedSha256: [pki.server.sha256] } } },
      }),
      'FTPSCTL_ERR_PIN_MISMATCH',
    ],
  ] as Array<[string, (p: TestPki) => { cert: TestPki['server']; overrides: object }, string]>)(
    'hands out no session from a server that fails %s (TLS 1.2 issues it during the handshake)',
    async (_title, pick, code) => {
      const { cert, overrides } = pick(pki);
      const { server, port } = await tlsServer(cert.cert, cert.key);
      try {
        const settings = engineSettingsFor(port, pki.caFile, overrides);
        const sessions: Buffer[] = [];
        const options = tlsConnectOptions({ tls: settings.tls, material: { caPem: pki.ca, crlPems: [] } });
        await expect(
          handshake(await connectTcp(port), options, {
            settings: settings.tls,
            host: '127.0.0.1',
            channel: 'data',
            timeoutMs: 3000,
            onSession: (s) => sessions.push(s),
          }),
        ).rejects.toMatchObject({ code });
        await new Promise((r) => setTimeout(r, 50));
        expect(sessions).toEqual([]);
      } finally {
        server.close();
      }
    },
  );

  it('hands out the sessions of a server that passed every check', async () => {
    const { server, port } = await tlsServer(pki.server.cert, pki.server.key);
    try {
      const settings = engineSettingsFor(port, pki.caFile);
      const sessions: Buffer[] = [];
      const options = tlsConnectOptions({ tls: settings.tls, material: { caPem: pki.ca, crlPems: [] } });
      const result = await handshake(await connectTcp(port), options, {
        settings: settings.tls,
        host: '127.0.0.1',
        channel: 'control',
        timeoutMs: 3000,
        onSession: (s) => sessions.push(s),
      });
      await new Promise((r) => setTimeout(r, 50));
      expect(sessions.length).toBeGreaterThan(0);
      result.socket.destroy();
    } finally {
      server.close();
    }
  });
});
