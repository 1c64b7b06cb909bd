/**
 * A data connection must show the control connection's certificate. The check compares the
 * certificate's SHA-256 without parsing it into an object (cheap enough for every file of a
 * mirror); a data connection that shows another certificate, even one the CA signed for the
 * same name, is refused, and a resumed one stands for the control connection's certificate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer, type TLSSocket } from 'node:tls';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { secureData } from '../../src/engine/data-connection';
import { handshake } from '../../src/engine/tls-handshake';
import { tlsConnectOptions } from '../../src/engine/tls-options';
import { engineSettingsFor } from '../helpers/engine-settings';

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-data-cert-'));
  pki = await createTestPki(dir, { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function tlsServer(
  cert: string,
  key: string,
  maxVersion: 'TLSv1.2' | 'TLSv1.3',
): Promise<{ port: number; stop: () => void }> {
  // Connections stay open until stop(): a server that hangs up at once takes its certificate with it.
  const open = new Set<TLSSocket>();
  const server = createServer({ cert, key, maxVersion }, (socket) => {
    socket.on('error', () => undefined);
    open.add(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    stop: () => {
      for (const socket of open) socket.destroy();
      server.close();
    },
  };
}

const connectTcp = (port: number): Promise<Socket> =>
  new Promise((resolve) => {
    const socket = netConnect(port, '127.0.0.1', () => resolve(socket));
  });

describe.each(['TLSv1.2', 'TLSv1.3'] as const)('data-channel certificate (%s)', (version) => {
  it('accepts the control certificate, fresh or resumed, and refuses another one from the same CA', async () => {
    const control = await tlsServer(pki.server.cert, pki.server.key, version);
    const other = await tlsServer(pki.revoked.cert, pki.revoked.key, version);
    try {
      const settings = engineSettingsFor(control.port, pki.caFile);
      const options = (session?: Buffer) =>
        tlsConnectOptions({
          tls: settings.tls,
          material: { caPem: pki.ca, crlPems: [] },
          ...(session ? { session } : {}),
        });
      let latest: Buffer | undefined;
      const controlTls = await handshake(await connectTcp(control.port), options(), {
        settings: settings.tls,
        host: '127.0.0.1',
        channel: 'control',
        timeoutMs: 3000,
        onSession: (s) => (latest = s),
      });
      await new Promise((resolve) => setTimeout(resolve, 50)); // TLS 1.3 tickets follow the handshake
      expect(controlTls.certificate.sha256).toBe(pki.server.sha256);
      expect(latest).toBeDefined();

      const fresh = await secureData(await connectTcp(control.port), {
        settings,
        tlsOptions: options(),
        controlCertificate: controlTls.certificate,
        onSession: () => undefined,
      });
      expect(fresh).toMatchObject({ encrypted: true, resumed: false });
      fresh.socket.destroy();

      const resumed = await secureData(await connectTcp(control.port), {
        settings,
        tlsOptions: options(latest),
        controlCertificate: controlTls.certificate,
        onSession: () => undefined,
      });
      expect(resumed).toMatchObject({ encrypted: true, resumed: true });
      resumed.socket.destroy();

      const otherSettings = engineSettingsFor(other.port, pki.caFile);
      await expect(
        secureData(await connectTcp(other.port), {
          settings: otherSettings,
          tlsOptions: options(),
          controlCertificate: controlTls.certificate,
          onSession: () => undefined,
        }),
      ).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_PIN_MISMATCH',
        message: expect.stringContaining(`presented another certificate (SHA-256 ${pki.revoked.sha256})`),
      });
      controlTls.socket.destroy();
    } finally {
      control.stop();
      other.stop();
    }
  });
});

// Data connections skip Node's getPeerCertificate(true) object and checkServerIdentity (the
// certificate must be the control connection's, byte for byte): every other certificate is
// still refused, by that comparison or by OpenSSL's chain check, and the socket's own
// getPeerCertificate works again once the handshake is over.
describe('a fresh data connection with a certificate that is not the control one', () => {
  /** A checked control connection to `port`, with the options its data connections use. */
  async function controlConnection(port: number) {
    const settings = engineSettingsFor(port, pki.caFile);
    const options = tlsConnectOptions({ tls: settings.tls, material: { caPem: pki.ca, crlPems: [] } });
    const controlTls = await handshake(await connectTcp(port), options, {
      settings: settings.tls,
      host: '127.0.0.1',
      channel: 'control',
      timeoutMs: 3000,
    });
    return { settings, options, controlTls };
  }
  const refusals = [
    ['wrongHost', 'signed by the CA for wrong.example', 'FTPSCTL_ERR_PIN_MISMATCH'],
    ['expired', 'signed by the CA, expired', 'FTPSCTL_ERR_CERT_EXPIRED'],
    ['selfSigned', 'self-signed for localhost', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
    ['untrusted', 'from a CA that is not trusted', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
  ] as const;

  it.each(refusals)('%s (%s) is refused: %s', async (which, _what, code) => {
    const control = await tlsServer(pki.server.cert, pki.server.key, 'TLSv1.3');
    const other = await tlsServer(pki[which].cert, pki[which].key, 'TLSv1.3');
    try {
      const { options, controlTls } = await controlConnection(control.port);
      try {
        await expect(
          secureData(await connectTcp(other.port), {
            settings: engineSettingsFor(other.port, pki.caFile),
            tlsOptions: options,
            controlCertificate: controlTls.certificate,
            onSession: () => undefined,
          }),
        ).rejects.toMatchObject({ code });
      } finally {
        controlTls.socket.destroy();
      }
    } finally {
      control.stop();
      other.stop();
    }
  });

  it('the control certificate is accepted, and the socket has its own getPeerCertificate back', async () => {
    const control = await tlsServer(pki.server.cert, pki.server.key, 'TLSv1.3');
    const sockets: Array<{ destroy(): void }> = [];
    try {
      const { settings, options, controlTls } = await controlConnection(control.port);
      sockets.push(controlTls.socket);
      const fresh = await secureData(await connectTcp(control.port), {
        settings,
        tlsOptions: options,
        controlCertificate: controlTls.certificate,
        onSession: () => undefined,
      });
      sockets.push(fresh.socket);
      expect(fresh.resumed).toBe(false);
      const socket = fresh.socket as TLSSocket;
      expect(Object.prototype.hasOwnProperty.call(socket, 'getPeerCertificate')).toBe(false);
      expect(socket.getPeerCertificate).toBe(Object.getPrototypeOf(socket).getPeerCertificate);
    } finally {
      for (const socket of sockets) socket.destroy();
      control.stop();
    }
  });
});
