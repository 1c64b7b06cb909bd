/**
 * Reaching a host through a SOCKS5 proxy (RFC 1928) with username/password authentication
 * (RFC 1929). The leg to the proxy is not encrypted by SOCKS itself: the FTP session's own
 * TLS runs end to end inside, but the proxy password travels as RFC 1929 sends it.
 */
import { isIP } from 'node:net';
import { SessionError } from '../../errors';
import { directDialer, type Dialer } from '../tcp-dialer';
import { HandshakeReader } from './handshake-reader';
import { describeProxy, type ProxyEndpoint } from './proxy-target';

const REPLY_REASONS: Record<number, string> = {
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused by the destination',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/** The CONNECT request: IPv4, IPv6 or a domain name, then the port. Pure. */
export function socksConnectRequest(host: string, port: number): Buffer {
  let address: Buffer;
  if (isIP(host) === 4) address = Buffer.from([0x01, ...host.split('.').map(Number)]);
  else if (isIP(host) === 6) {
    const groups = host.includes('::') ? expandIpv6(host) : host.split(':');
    address = Buffer.concat([
      Buffer.from([0x04]),
      Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff])),
    ]);
  } else {
    const name = Buffer.from(host, 'utf8');
    if (name.length > 255) throw new SessionError('FTPSCTL_ERR_USAGE', `host name too long for SOCKS5: ${host}`);
    address = Buffer.concat([Buffer.from([0x03, name.length]), name]);
  }
  return Buffer.concat([Buffer.from([0x05, 0x01, 0x00]), address, Buffer.from([port >> 8, port & 0xff])]);
}

function expandIpv6(host: string): string[] {
  const [head, tail] = host.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}

export function socks5Dialer(proxy: ProxyEndpoint, base: Dialer = directDialer): Dialer {
  const where = describeProxy(proxy);
  return async (target, timeoutMs) => {
    const tcp = await base({ host: proxy.host, port: proxy.port, purpose: target.purpose }, timeoutMs);
    const reader = new HandshakeReader(tcp.socket, `${proxy.host}:${proxy.port}`, timeoutMs);
    try {
      const withPassword = proxy.user !== undefined;
      tcp.socket.write(Buffer.from([0x05, 0x01, withPassword ? 0x02 : 0x00]));
      const [version, method] = await reader.exactly(2, 'the SOCKS5 method choice');
      if (version !== 0x05)
        throw new SessionError('FTPSCTL_ERR_PROTOCOL', `the ${where} does not speak SOCKS5 (version byte ${version})`, {
          host: proxy.host,
        });
      if (method === 0xff)
        throw new SessionError(
          'FTPSCTL_ERR_PROXY_AUTH',
          `the ${where} accepts none of the offered authentication methods (${withPassword ? 'username/password' : 'none'}); check proxy.authorization`,
          { host: proxy.host },
        );
      if (method === 0x02) {
        const user = Buffer.from(proxy.user ?? '', 'utf8');
        const password = Buffer.from(proxy.password ?? '', 'utf8');
        if (user.length > 255 || password.length > 255)
          throw new SessionError('FTPSCTL_ERR_USAGE', 'SOCKS5 user names and passwords are at most 255 bytes');
        tcp.socket.write(
          Buffer.concat([Buffer.from([0x01, user.length]), user, Buffer.from([password.length]), password]),
        );
        const [, status] = await reader.exactly(2, 'the SOCKS5 authentication result');
        if (status !== 0x00)
          throw new SessionError(
            'FTPSCTL_ERR_PROXY_AUTH',
            `the ${where} refused the credentials of "${proxy.user}"; check proxy.authorization and its password source`,
            { host: proxy.host },
          );
      } else if (method !== 0x00)
        throw new SessionError(
          'FTPSCTL_ERR_PROTOCOL',
          `the ${where} chose authentication method ${method}, which ftpsctl did not offer`,
          { host: proxy.host },
        );
      tcp.socket.write(socksConnectRequest(target.host, target.port));
      const head = await reader.exactly(4, 'the SOCKS5 CONNECT reply');
      if (head[1] !== 0x00)
        throw new SessionError(
          'FTPSCTL_ERR_PROXY_REFUSED',
          `the ${where} refused to connect to ${target.host}:${target.port}: ${REPLY_REASONS[head[1]] ?? `reply ${head[1]}`}`,
          { host: proxy.host },
        );
      const addressLength =
        head[3] === 0x01 ? 4 : head[3] === 0x04 ? 16 : (await reader.exactly(1, 'the SOCKS5 bound address'))[0];
      await reader.exactly(addressLength + 2, 'the SOCKS5 bound address');
      return { socket: reader.release() };
    } catch (error) {
      reader.release();
      tcp.socket.destroy();
      throw error;
    }
  };
}
