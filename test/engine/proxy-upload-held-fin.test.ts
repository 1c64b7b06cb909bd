/**
 * The held FIN (a PROT P upload through a proxy runs its TLS on a DetachableCarrier, whose end
 * and destroy never reach the tunnel): when the transfer ends before the data handshake does (a
 * STOR refused at once, the server silent on the data connection), the `finally` destroys the
 * tunnel and the carrier must hear its 'close', or the handshake and its
 * network.connectTimeoutMs timer stay armed until that timeout (found in review, 2026-11-30).
 * A download through the same proxy (no carrier) is the reference.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startHostileServer, type HostileScript } from '../../packages/testbed/src/hostile-server';
import { openSession } from '../../src/engine';
import { timersLeftBy } from '../helpers/armed-timers';
import { engineSettingsFor, type ProfileOverrides } from '../helpers/engine-settings';
import { startMiniSocks5, type MiniProxy } from '../helpers/mini-proxies';

const PASSWORD = 'held-fin-review-secret-7d21';
const PROXY_PASSWORD = 'proxy-secret-held-fin';
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-held-fin-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function viaProxy(proxy: MiniProxy, port: number, overrides: ProfileOverrides = {}) {
  return engineSettingsFor(port, pki.caFile, {
    ...overrides,
    proxy: {
      enabled: true,
      type: 'socks5',
      host: '127.0.0.1',
      port: proxy.port,
      authorization: { user: 'proxyuser', password: { env: 'UNUSED' } },
    },
  });
}

async function putThroughProxy(
  script: HostileScript,
  overrides: ProfileOverrides,
  file: Buffer,
  expectation: (put: Promise<unknown>) => Promise<void>,
) {
  const server = await startHostileServer(script, { pki: { cert: pki.server.cert, key: pki.server.key } });
  const proxy = await startMiniSocks5({ user: 'proxyuser', password: PROXY_PASSWORD });
  const local = path.join(dir, `up-${Math.random()}.bin`);
  writeFileSync(local, file);
  try {
    const session = await openSession(viaProxy(proxy, server.port, overrides), {
      password: PASSWORD,
      proxyPassword: PROXY_PASSWORD,
    });
    try {
      await expectation(session.put(local, 'up.bin'));
    } finally {
      await session.close();
    }
  } finally {
    await proxy.stop();
    await server.stop();
  }
}

describe('a PROT P upload through a proxy, refused before its data handshake', () => {
  it('a STOR refused before the data handshake, through a proxy, leaves no timer armed', async () => {
    const left = await timersLeftBy(() =>
      putThroughProxy(
        { dataTls: 'withheld', replies: { STOR: '553 Could not create file' } },
        { network: { connectTimeoutMs: 20_000 } },
        Buffer.alloc(1000, 1),
        async (put) => {
          await expect(put).rejects.toMatchObject({ code: 'FTPSCTL_ERR_COMMAND_FAILED', reply: { code: 553 } });
        },
      ),
    );
    expect(left.filter((ms) => ms >= 1000)).toEqual([]);
  });
  it('a RETR refused the same way through the proxy leaves no timer armed (the reference)', async () => {
    const left = await timersLeftBy(async () => {
      const server = await startHostileServer(
        { dataTls: 'withheld', replies: { RETR: '550 No' } },
        { pki: { cert: pki.server.cert, key: pki.server.key } },
      );
      const proxy = await startMiniSocks5({ user: 'proxyuser', password: PROXY_PASSWORD });
      try {
        const session = await openSession(viaProxy(proxy, server.port, { network: { connectTimeoutMs: 20_000 } }), {
          password: PASSWORD,
          proxyPassword: PROXY_PASSWORD,
        });
        try {
          await expect(session.get('x.bin', path.join(dir, 'x.bin'))).rejects.toMatchObject({ reply: { code: 550 } });
        } finally {
          await session.close();
        }
      } finally {
        await proxy.stop();
        await server.stop();
      }
    });
    expect(left.filter((ms) => ms >= 1000)).toEqual([]);
  });
});
