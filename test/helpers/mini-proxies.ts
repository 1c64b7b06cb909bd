/**
 * Minimal proxies in Node for engine tests that must run everywhere: an HTTPS CONNECT proxy
 * with basic authentication and a SOCKS5 proxy with username/password. They count the
 * tunnels they opened. The real ones (squid, dante) are in packages/testbed/src/proxies.
 */
import { connect as netConnect, createServer as netServer, type Server, type Socket } from 'node:net';
import { createServer as tlsServer, type TLSSocket } from 'node:tls';

/**
 * How a tunnel relays: `pipe` (both ways, half-close kept), or `squid`: like squid 5.7, the
 * client's FIN destroys both sides at once, dropping what is not yet written to the server;
 * client-to-server data is paced (16 KiB per 2 ms) so that something is always still queued.
 */
export type TunnelBehaviour = 'pipe' | 'squid';

function relay(client: Socket, upstream: Socket, behaviour: TunnelBehaviour): void {
  upstream.pipe(client);
  if (behaviour === 'pipe') {
    client.pipe(upstream);
    return;
  }
  const queue: Buffer[] = [];
  client.on('data', (chunk: Buffer) => {
    for (let at = 0; at < chunk.length; at += 16 * 1024) queue.push(chunk.subarray(at, at + 16 * 1024));
  });
  const pace = setInterval(() => {
    const next = queue.shift();
    if (next && !upstream.destroyed) upstream.write(next);
  }, 2);
  client.on('end', () => {
    client.destroy();
    upstream.destroy();
  });
  client.on('close', () => clearInterval(pace));
}

export interface MiniProxy {
  port: number;
  tunnels: number;
  requests: string[];
  stop(): Promise<void>;
}

function track(server: Server, sockets: Set<Socket>): void {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
}

const stopper = (server: Server, sockets: Set<Socket>) => (): Promise<void> =>
  new Promise((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  });

export async function startMiniHttpsProxy(options: {
  cert: string;
  key: string;
  user: string;
  password: string;
  refuse?: (host: string, port: number) => boolean;
  tunnel?: TunnelBehaviour;
}): Promise<MiniProxy> {
  const sockets = new Set<Socket>();
  const proxy: MiniProxy = { port: 0, tunnels: 0, requests: [], stop: async () => undefined };
  const expected = `Basic ${Buffer.from(`${options.user}:${options.password}`).toString('base64')}`;
  const server = tlsServer({ cert: options.cert, key: options.key }, (client: TLSSocket) => {
    client.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const head = buffer.subarray(0, end).toString('latin1');
      const rest = buffer.subarray(end + 4);
      const [requestLine, ...headers] = head.split('\r\n');
      proxy.requests.push(requestLine);
      const auth = headers
        .find((h) => h.toLowerCase().startsWith('proxy-authorization:'))
        ?.slice(20)
        .trim();
      const match = /^CONNECT ([^:]+):(\d+) HTTP\/1\.1$/.exec(requestLine);
      if (auth !== expected)
        return void client.end(
          'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n',
        );
      if (!match || options.refuse?.(match[1], Number(match[2])))
        return void client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      const upstream = netConnect(Number(match[2]), match[1], () => {
        proxy.tunnels += 1;
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        if (rest.length) upstream.write(rest);
        relay(client, upstream, options.tunnel ?? 'pipe');
      });
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  track(server, sockets);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as { port: number }).port;
  proxy.stop = stopper(server, sockets);
  return proxy;
}

export async function startMiniSocks5(options: {
  user: string;
  password: string;
  tunnel?: TunnelBehaviour;
}): Promise<MiniProxy> {
  const sockets = new Set<Socket>();
  const proxy: MiniProxy = { port: 0, tunnels: 0, requests: [], stop: async () => undefined };
  const server = netServer((client) => {
    client.on('error', () => undefined);
    let buffer = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' = 'greeting';
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'greeting' && buffer.length >= 2 && buffer.length >= 2 + buffer[1]) {
        const methods = [...buffer.subarray(2, 2 + buffer[1])];
        buffer = buffer.subarray(2 + buffer[1]);
        if (!methods.includes(0x02)) return void client.end(Buffer.from([0x05, 0xff]));
        client.write(Buffer.from([0x05, 0x02]));
        stage = 'auth';
      }
      if (stage === 'auth' && buffer.length >= 2) {
        const ulen = buffer[1];
        if (buffer.length < 3 + ulen) return;
        const plen = buffer[2 + ulen];
        if (buffer.length < 3 + ulen + plen) return;
        const user = buffer.subarray(2, 2 + ulen).toString();
        const password = buffer.subarray(3 + ulen, 3 + ulen + plen).toString();
        buffer = buffer.subarray(3 + ulen + plen);
        if (user !== options.user || password !== options.password) return void client.end(Buffer.from([0x01, 0x01]));
        client.write(Buffer.from([0x01, 0x00]));
        stage = 'request';
      }
      if (stage === 'request' && buffer.length >= 10 && buffer[3] === 0x01) {
        const host = [...buffer.subarray(4, 8)].join('.');
        const port = buffer.readUInt16BE(8);
        const rest = buffer.subarray(10);
        client.off('data', onData);
        proxy.requests.push(`CONNECT ${host}:${port}`);
        const upstream = netConnect(port, host, () => {
          proxy.tunnels += 1;
          client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 127, 0, 0, 1, 0, 0]));
          if (rest.length) upstream.write(rest);
          relay(client, upstream, options.tunnel ?? 'pipe');
        });
        upstream.on('error', () => client.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0])));
        client.on('close', () => upstream.destroy());
      }
    };
    client.on('data', onData);
  });
  track(server, sockets);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as { port: number }).port;
  proxy.stop = stopper(server, sockets);
  return proxy;
}
