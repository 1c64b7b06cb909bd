/**
 * The destination a test reaches through a proxy: a small HTTP/1.1 server on 127.0.0.1
 * that answers every request with a fixed body and counts the TCP connections it accepted,
 * so a test can prove a refused request never reached it. Also echoes raw bytes that are
 * not HTTP, for byte-level tunnel tests.
 */
import net from 'node:net';

export interface LoopbackTarget {
  readonly port: number;
  /** The body every HTTP request gets. */
  readonly body: string;
  connectionsAccepted(): number;
  close(): Promise<void>;
}

export async function startLoopbackTarget(body = 'hello through the proxy\n'): Promise<LoopbackTarget> {
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let first = true;
    socket.on('data', (chunk: Buffer) => {
      if (first && /^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/.test(chunk.toString('latin1'))) {
        socket.end(
          `HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      } else {
        socket.write(chunk);
      }
      first = false;
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('target server has no address');
  return {
    port: address.port,
    body,
    connectionsAccepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
