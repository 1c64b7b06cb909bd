/**
 * The held FIN: a PROT P upload through a proxy ends with close_notify alone, and the tunnel's
 * FIN waits for the final reply. A server that takes the TCP FIN (not close_notify) as the end
 * of the upload's data gets it after HELD_FIN_GRACE_MS (data-transfer.ts); before that grace
 * existed, the upload that succeeds directly failed through any proxy with FTPSCTL_ERR_TIMEOUT
 * after network.idleTimeoutMs (found in review, 2026-11-30).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as netServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSecureContext, TLSSocket } from 'node:tls';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { DetachableCarrier } from '../../src/engine/detachable-carrier';
import { openSession } from '../../src/engine';
import { engineSettingsFor, type ProfileOverrides } from '../helpers/engine-settings';
import { startMiniSocks5 } from '../helpers/mini-proxies';

const PASSWORD = 'fin-server-review-secret-51b0';
const PROXY_PASSWORD = 'proxy-secret-fin-server';
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-fin-server-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * An FTPS server whose data connections end on the TCP FIN: close_notify is read, but the
 * upload is complete (and 226 sent) only once the client's TCP connection ends.
 */
async function finWaitingServer(): Promise<{ port: number; stored: Map<string, number>; stop: () => Promise<void> }> {
  const context = createSecureContext({ cert: pki.server.cert, key: pki.server.key });
  const sockets = new Set<Socket>();
  const servers = new Set<Server>();
  const stored = new Map<string, number>();
  const control = netServer((raw) => {
    sockets.add(raw);
    raw.on('error', () => undefined);
    let io: Socket = raw;
    let buffer = '';
    let dataSocket: Promise<{ bytes: () => number; finEnded: Promise<void> }> | undefined;
    const reply = (line: string): void => void io.write(`${line}\r\n`);
    const onLine = (line: string): void => {
      const [verb, ...rest] = line.split(' ');
      const argument = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'AUTH': {
          reply('234 AUTH TLS ok');
          raw.off('data', onData);
          const secure = new TLSSocket(raw, { isServer: true, secureContext: context });
          secure.on('error', () => undefined);
          secure.on('data', onData);
          io = secure;
          return;
        }
        case 'USER':
          return reply('331 password');
        case 'PASS':
          return reply('230 logged in');
        case 'PBSZ':
        case 'PROT':
        case 'TYPE':
        case 'OPTS':
          return reply('200 ok');
        case 'FEAT':
          return reply('211 no features');
        case 'PWD':
          return reply('257 "/"');
        case 'SIZE':
          return stored.has(argument) ? reply(`213 ${stored.get(argument)}`) : reply('550 no such file');
        case 'EPSV': {
          const listener = netServer();
          servers.add(listener);
          dataSocket = new Promise((resolve) => {
            listener.once('connection', (dataRaw) => {
              sockets.add(dataRaw);
              dataRaw.on('error', () => undefined);
              listener.close();
              let bytes = 0;
              // TLS on a carrier: close_notify reaches the TLS socket, the TCP FIN only `finEnded`.
              const secure = new TLSSocket(new DetachableCarrier(dataRaw), {
                isServer: true,
                secureContext: context,
              });
              secure.on('error', () => undefined);
              secure.on('data', (chunk: Buffer) => (bytes += chunk.length));
              const finEnded = new Promise<void>((end) => {
                dataRaw.once('end', end);
                dataRaw.once('close', end);
              });
              resolve({ bytes: () => bytes, finEnded });
            });
          });
          listener.listen(0, '127.0.0.1', () =>
            reply(`229 Entering (|||${(listener.address() as { port: number }).port}|)`),
          );
          return;
        }
        case 'STOR': {
          const pending = dataSocket;
          dataSocket = undefined;
          if (!pending) return reply('425 no data connection');
          reply('150 go');
          void pending.then(async ({ bytes, finEnded }) => {
            await finEnded;
            stored.set(argument, bytes());
            reply('226 stored');
          });
          return;
        }
        case 'QUIT':
          reply('221 bye');
          io.end();
          return;
        default:
          return reply('502 not implemented');
      }
    };
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      for (let at = buffer.indexOf('\r\n'); at >= 0; at = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        onLine(line);
      }
    };
    raw.on('data', onData);
    reply('220 fin-waiting server');
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  return {
    port: (control.address() as { port: number }).port,
    stored,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      for (const server of servers) server.close();
      await new Promise((resolve) => control.close(resolve));
    },
  };
}

const overrides: ProfileOverrides = { network: { connectTimeoutMs: 3000, idleTimeoutMs: 3000 } };

describe('a server that ends an upload on the TCP FIN, not on close_notify', () => {
  it('a direct PROT P upload arrives whole (the reference)', async () => {
    const server = await finWaitingServer();
    const local = path.join(dir, 'direct.bin');
    writeFileSync(local, Buffer.alloc(200_000, 7));
    try {
      const session = await openSession(engineSettingsFor(server.port, pki.caFile, overrides), { password: PASSWORD });
      try {
        await expect(session.put(local, 'direct.bin')).resolves.toMatchObject({ bytes: 200_000 });
        expect(server.stored.get('direct.bin')).toBe(200_000);
      } finally {
        await session.close();
      }
    } finally {
      await server.stop();
    }
  });

  it('the same PROT P upload through a SOCKS5 proxy arrives whole, not a timeout waiting for the 226', async () => {
    const server = await finWaitingServer();
    const proxy = await startMiniSocks5({ user: 'proxyuser', password: PROXY_PASSWORD });
    const local = path.join(dir, 'proxied.bin');
    writeFileSync(local, Buffer.alloc(200_000, 7));
    try {
      const settings = engineSettingsFor(server.port, pki.caFile, {
        ...overrides,
        proxy: {
          enabled: true,
          type: 'socks5',
          host: '127.0.0.1',
          port: proxy.port,
          authorization: { user: 'proxyuser', password: { env: 'UNUSED' } },
        },
      });
      const session = await openSession(settings, { password: PASSWORD, proxyPassword: PROXY_PASSWORD });
      try {
        await expect(session.put(local, 'proxied.bin')).resolves.toMatchObject({ bytes: 200_000 });
        expect(server.stored.get('proxied.bin')).toBe(200_000);
      } finally {
        await session.close();
      }
    } finally {
      await proxy.stop();
      await server.stop();
    }
  });
});
