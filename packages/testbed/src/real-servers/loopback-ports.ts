/**
 * Picks ports on 127.0.0.1 for a server the test is about to start. A port found free can
 * be taken before the server binds it, so launchers retry when the server reports
 * EADDRINUSE (see start-with-retry.ts).
 */
import net from 'node:net';
import { randomInt } from 'node:crypto';
import type { PortRange } from './real-server';

const HOST = '127.0.0.1';

function listenOnce(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host: HOST, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** A port the kernel just handed out for 127.0.0.1:0 and that is free again now. */
export async function pickFreePort(): Promise<number> {
  const port = await listenOnce(0);
  if (port === undefined) throw new Error('could not bind 127.0.0.1:0');
  return port;
}

// Below Linux's ephemeral range (32768-60999), so outgoing connections don't land in it.
const PASSIVE_FLOOR = 20000;
const PASSIVE_CEILING = 32000;

/**
 * `size` consecutive ports that are all free right now, at a random place, for PASV/EPSV.
 * 32 by default: with 8, four sessions of one mirror (transfer.parallel 4) now and then met
 * `425 ... Address already in use` from proftpd and pure-ftpd (2 of 60 such runs in two full
 * benchmark runs, 0 of 48 in a later loop): the servers' random picks landing on a port another
 * session's data connection still held.
 */
export async function pickPassiveRange(size = 32): Promise<PortRange> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = randomInt(PASSIVE_FLOOR, PASSIVE_CEILING - size);
    const ports = Array.from({ length: size }, (_, index) => min + index);
    const bound = await Promise.all(ports.map((port) => listenOnce(port)));
    if (bound.every((port) => port !== undefined)) return { min, max: min + size - 1 };
  }
  throw new Error(`no ${size} consecutive free ports on ${HOST} between ${PASSIVE_FLOOR} and ${PASSIVE_CEILING}`);
}
