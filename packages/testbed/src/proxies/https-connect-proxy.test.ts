/**
 * squid 5.7 (squid-openssl) as an HTTPS CONNECT proxy, proven with curl 7.88 and with the raw
 * exchange our engine will do: TLS to the proxy, CONNECT with Basic credentials, 200, then
 * bytes both ways. What these tests found: squid's own https_port serves TLS to the client
 * (no stunnel needed); missing or wrong credentials get
 * `HTTP/1.1 407 Proxy Authentication Required` with `Proxy-Authenticate: Basic realm="..."`,
 * a target other than 127.0.0.1 gets `HTTP/1.1 403 Forbidden`, a closed port on 127.0.0.1
 * `HTTP/1.1 503 Service Unavailable`; none of them connects to the target.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { createTestPki, type TestPki } from '../../../../src/loopback/pki';
import { assertCurlThroughProxySucceeded, curlThroughProxy } from './curl-through-proxy';
import { describeWithProxy } from './describe-with-proxy';
import { startLoopbackTarget, type LoopbackTarget } from './loopback-target';
import type { RunningProxy } from './proxy';
import { startHttpsConnectProxy } from './start-https-connect-proxy';
import { waitForLoggedConnections } from './wait-for-logged-connections';

jest.setTimeout(30_000);

// Characters that need care in curl's config file, squid's helper protocol and Basic auth.
const PASSWORD = 'pw:with "quotes", \\backslash and spaces';

let scratch: string;
let pki: TestPki;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'ftpsctl-https-proxy-test-'));
  pki = await createTestPki(path.join(scratch, 'pki'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

interface ConnectReply {
  socket: tls.TLSSocket;
  /** Status line and headers, without the blank line. */
  head: string;
  /** Bytes after the headers (the start of the tunnel, or the error page). */
  rest: Buffer;
}

/** TLS to the proxy, `CONNECT target`, read until the end of the reply headers. */
function sendConnect(proxy: RunningProxy, target: string, authorization?: string): Promise<ConnectReply> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: proxy.host, port: proxy.port, ca: pki.ca }, () => {
      const headers = [
        `CONNECT ${target} HTTP/1.1`,
        `Host: ${target}`,
        ...(authorization ? [`Proxy-Authorization: ${authorization}`] : []),
        '',
        '',
      ];
      socket.write(headers.join('\r\n'));
    });
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return;
      socket.off('data', onData);
      socket.pause();
      resolve({ socket, head: received.subarray(0, end).toString('latin1'), rest: received.subarray(end + 4) });
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`proxy closed before a reply: ${received.toString('latin1')}`)));
  });
}

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Writes `data` into the tunnel and collects as many bytes back (the target echoes). */
function echoThrough(reply: ConnectReply, data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let echoed = reply.rest;
    const check = (): void => {
      if (echoed.length >= data.length) resolve(echoed);
    };
    reply.socket.on('data', (chunk: Buffer) => {
      echoed = Buffer.concat([echoed, chunk]);
      check();
    });
    reply.socket.once('error', reject);
    reply.socket.removeAllListeners('close');
    reply.socket.once('close', () => reject(new Error(`tunnel closed after ${echoed.length} of ${data.length} bytes`)));
    reply.socket.resume();
    reply.socket.write(data);
  });
}

describeWithProxy('https-connect', 'squid HTTPS CONNECT proxy with Basic auth', () => {
  let proxy: RunningProxy;
  let target: LoopbackTarget;
  beforeAll(async () => {
    target = await startLoopbackTarget();
    proxy = await startHttpsConnectProxy({
      tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile },
      user: 'alice',
      password: PASSWORD,
    });
  });
  afterAll(async () => {
    await proxy?.stop();
    await target?.close();
  });

  test('listens on 127.0.0.1 with TLS and the test certificate', async () => {
    const reply = await sendConnect(proxy, '127.0.0.1:9');
    expect(reply.socket.getPeerX509Certificate()?.fingerprint256).toBe(pki.server.sha256);
    expect(reply.socket.authorized).toBe(true);
    reply.socket.destroy();
  });

  test('curl reaches the target through a CONNECT tunnel', async () => {
    const before = { target: target.connectionsAccepted(), proxy: proxy.connectionsSeen() };
    const result = await curlThroughProxy(proxy, { url: `http://127.0.0.1:${target.port}/`, proxyCaFile: pki.caFile });
    assertCurlThroughProxySucceeded(result, proxy);
    expect(result.stdout).toBe(target.body);
    expect(result.verbose).toContain(`> CONNECT 127.0.0.1:${target.port} HTTP/1.1`);
    expect(result.verbose).toContain('< HTTP/1.1 200 Connection established');
    expect(result.verbose).toMatch(/Proxy-Authorization: Basic \*\*\*\*/);
    expect(result.verbose).not.toContain(Buffer.from(`alice:${PASSWORD}`).toString('base64'));
    expect(target.connectionsAccepted()).toBe(before.target + 1);
    expect(await waitForLoggedConnections(proxy, before.proxy + 1)).toBe(before.proxy + 1);
  });

  test('curl with a wrong password gets 407 and the target sees no connection', async () => {
    const before = target.connectionsAccepted();
    const result = await curlThroughProxy(proxy, {
      url: `http://127.0.0.1:${target.port}/`,
      proxyCaFile: pki.caFile,
      login: { user: 'alice', password: 'wrong' },
    });
    expect(result.exitCode).toBe(56);
    expect(result.verbose).toContain('< HTTP/1.1 407 Proxy Authentication Required');
    expect(result.verbose).toContain('< Proxy-Authenticate: Basic realm="ftpsctl-test-proxy"');
    expect(target.connectionsAccepted()).toBe(before);
  });

  test('raw TLS + CONNECT + Basic: 200, then bytes flow both ways', async () => {
    const before = target.connectionsAccepted();
    const reply = await sendConnect(proxy, `127.0.0.1:${target.port}`, basic('alice', PASSWORD));
    try {
      expect(reply.head.split('\r\n')[0]).toBe('HTTP/1.1 200 Connection established');
      const data = randomBytes(256 * 1024);
      const echoed = await echoThrough(reply, data);
      expect(echoed.equals(data)).toBe(true);
      expect(target.connectionsAccepted()).toBe(before + 1);
    } finally {
      reply.socket.destroy();
    }
  });

  test('raw CONNECT without credentials: 407 with a Basic challenge', async () => {
    const before = target.connectionsAccepted();
    const reply = await sendConnect(proxy, `127.0.0.1:${target.port}`);
    reply.socket.destroy();
    expect(reply.head.split('\r\n')[0]).toBe('HTTP/1.1 407 Proxy Authentication Required');
    expect(reply.head).toContain('Proxy-Authenticate: Basic realm="ftpsctl-test-proxy"');
    expect(reply.head).toContain('Server: squid/5.7');
    expect(target.connectionsAccepted()).toBe(before);
  });

  test('raw CONNECT with a wrong password: 407', async () => {
    const reply = await sendConnect(proxy, `127.0.0.1:${target.port}`, basic('alice', 'wrong'));
    reply.socket.destroy();
    expect(reply.head.split('\r\n')[0]).toBe('HTTP/1.1 407 Proxy Authentication Required');
  });

  test('raw CONNECT to a target other than 127.0.0.1: 403, nothing connected', async () => {
    const before = target.connectionsAccepted();
    // 127.0.0.2: loopback, so even a misconfigured proxy would send nothing off the machine.
    const reply = await sendConnect(proxy, `127.0.0.2:${target.port}`, basic('alice', PASSWORD));
    reply.socket.destroy();
    expect(reply.head.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
    expect(target.connectionsAccepted()).toBe(before);
  });

  test('raw CONNECT to a closed port on 127.0.0.1: 503', async () => {
    const reply = await sendConnect(proxy, '127.0.0.1:9', basic('alice', PASSWORD));
    reply.socket.destroy();
    expect(reply.head.split('\r\n')[0]).toBe('HTTP/1.1 503 Service Unavailable');
  });

  test('the proxy refuses plain HTTP forwarding (GET): 403', async () => {
    const statusLine = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: proxy.host, port: proxy.port, ca: pki.ca }, () => {
        socket.write(
          `GET http://127.0.0.1:${target.port}/ HTTP/1.1\r\nHost: 127.0.0.1:${target.port}\r\nProxy-Authorization: ${basic('alice', PASSWORD)}\r\n\r\n`,
        );
      });
      let text = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        text += chunk;
        if (!text.includes('\r\n')) return;
        socket.destroy();
        resolve(text.split('\r\n')[0] ?? '');
      });
      socket.once('error', reject);
    });
    expect(statusLine).toBe('HTTP/1.1 403 Forbidden');
  });

  test('stop() ends squid and removes its folder; the log stays readable', async () => {
    const other = await startHttpsConnectProxy({ tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile } });
    // coredump_dir is the instance folder, and squid's cache.log names it.
    const dir = /Set Current Directory to (\S+)/.exec(other.log())?.[1];
    expect(dir).toBeDefined();
    expect(existsSync(dir ?? '')).toBe(true);
    await other.stop();
    await expect(sendConnect(other, '127.0.0.1:9')).rejects.toThrow(/ECONNREFUSED/);
    expect(existsSync(dir ?? '')).toBe(false);
    expect(other.log()).toContain('Exiting normally');
  });
});
