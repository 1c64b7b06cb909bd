/**
 * Opening TCP connections, behind an interface so a proxy tunnel (or a test) can stand in.
 * The default dials directly with a connect timeout and Nagle off: FTP's small command
 * writes meeting delayed ACK cost ~40 ms each otherwise (lftp's measured penalty).
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SessionError } from '../errors';

export interface DialTarget {
  host: string;
  port: number;
  purpose: 'control' | 'data';
}

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
    const socket: Socket = netConnect({ host: target.host, port: target.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new SessionError('FTPSCTL_ERR_TIMEOUT', `connecting to ${target.host}:${target.port} (${target.purpose} connection) took longer than ${timeoutMs} ms; check the host, the port and network.connectTimeoutMs`, { host: target.host }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve({ socket, ...(socket.remoteAddress ? { peerAddress: normaliseAddress(socket.remoteAddress) } : {}) });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      const reason = error.code === 'ECONNREFUSED' ? 'the connection was refused (nothing listens there)' : error.code === 'ENOTFOUND' ? 'the host name does not resolve' : (error.code ?? error.message);
      reject(new SessionError('FTPSCTL_ERR_CONNECT', `cannot connect to ${target.host}:${target.port} (${target.purpose} connection): ${reason}`, { cause: error, host: target.host }));
    });
  });
