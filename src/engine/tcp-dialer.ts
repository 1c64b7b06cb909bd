/**
 * Opening TCP connections, behind an interface so a proxy tunnel (or a test) can stand in.
 * The default dials directly with a connect timeout and Nagle off: FTP's small command
 * writes meeting delayed ACK cost ~40 ms each otherwise (lftp's measured penalty).
 */
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SessionError } from '../errors';

export interface DialTarget {
  host: string;
  port: number;
  purpose: 'control' | 'data';
  /** The IP address to connect to, already resolved (and checked) for `host`; messages still name `host`. */
  address?: string;
}

/**
 * Called with every address the engine is about to connect to, before the connection is made
 * (direct: the resolved IP address; through a proxy: the name or address the proxy is asked to
 * reach), and again with the peer's address once connected. Purpose `proxy`: the connection to
 * the proxy itself (its resolved address, then its peer address). Throws to refuse the
 * connection. The engine knows no policy: the session layer supplies this.
 */
export type DialedAddressCheck = (
  address: string,
  purpose: 'control' | 'data' | 'proxy',
  via: 'direct' | 'proxy',
) => void;

export interface Dialed {
  socket: Duplex;
  /** The peer's IP address, when the connection is direct (the NAT rule compares PASV against it). */
  peerAddress?: string;
}

export type Dialer = (target: DialTarget, timeoutMs: number) => Promise<Dialed>;

export function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export const directDialer: Dialer = (target, timeoutMs) =>
  new Promise<Dialed>((resolve, reject) => {
    const socket: Socket = netConnect({ host: target.address ?? target.host, port: target.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new SessionError(
          'FTPSCTL_ERR_TIMEOUT',
          `connecting to ${target.host}:${target.port} (${target.purpose} connection) took longer than ${timeoutMs} ms; check the host, the port and network.connectTimeoutMs`,
          { host: target.host },
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve({ socket, ...(socket.remoteAddress ? { peerAddress: normaliseAddress(socket.remoteAddress) } : {}) });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const reason =
        error.code === 'ECONNREFUSED'
          ? 'the connection was refused (nothing listens there)'
          : error.code === 'ENOTFOUND'
            ? 'the host name does not resolve'
            : (error.code ?? error.message);
      reject(
        new SessionError(
          'FTPSCTL_ERR_CONNECT',
          `cannot connect to ${target.host}:${target.port} (${target.purpose} connection): ${reason}`,
          { cause: error, host: target.host },
        ),
      );
    });
  });

/**
 * Direct connections with every address checked: a name is resolved first (all its addresses,
 * each checked: one denied address refuses the connection), then the first address is dialed
 * by number, so what was checked is what is dialed; the peer address is checked again once
 * connected.
 */
export function checkedDialer(
  base: Dialer,
  check: DialedAddressCheck,
  resolve: (host: string) => Promise<string[]> = resolveAll,
): Dialer {
  return async (target, timeoutMs) => {
    let addresses: string[];
    if (isIP(target.host.replace(/^\[|\]$/g, '')) !== 0) {
      addresses = [target.host.replace(/^\[|\]$/g, '')];
    } else {
      try {
        addresses = await resolve(target.host);
      } catch (error) {
        throw new SessionError(
          'FTPSCTL_ERR_CONNECT',
          `cannot connect to ${target.host}:${target.port} (${target.purpose} connection): the host name does not resolve (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
          { cause: error, host: target.host },
        );
      }
    }
    for (const address of addresses) check(normaliseAddress(address), target.purpose, 'direct');
    const dialed = await dialInTurn(base, target, addresses, timeoutMs);
    if (dialed.peerAddress) {
      try {
        check(normaliseAddress(dialed.peerAddress), target.purpose, 'direct');
      } catch (error) {
        dialed.socket.destroy();
        throw error;
      }
    }
    return dialed;
  };
}

/**
 * Each address in the resolver's order until one connects (as Node's connect does with
 * `autoSelectFamily`: a name whose first address is ::1 still reaches a server on 127.0.0.1),
 * within one `timeoutMs` for all of them; the last failure when none does.
 */
async function dialInTurn(base: Dialer, target: DialTarget, addresses: string[], timeoutMs: number): Promise<Dialed> {
  const deadline = Date.now() + timeoutMs;
  let failure: unknown;
  for (const address of addresses) {
    const left = deadline - Date.now();
    if (left <= 0 && failure !== undefined) break;
    try {
      return await base({ ...target, address }, Math.max(1, left));
    } catch (error) {
      failure = error;
      // Refused or unreachable: the next address may answer. A timeout has spent the budget.
      if (!(error instanceof SessionError) || error.code !== 'FTPSCTL_ERR_CONNECT') throw error;
    }
  }
  throw failure;
}

/** Through a proxy: the name (or address) the proxy is asked to reach is what gets checked. */
export function checkedProxyTargets(proxied: Dialer, check: DialedAddressCheck): Dialer {
  return async (target, timeoutMs) => {
    check(target.host, target.purpose, 'proxy');
    return proxied(target, timeoutMs);
  };
}

async function resolveAll(host: string): Promise<string[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((entry) => entry.address);
}
