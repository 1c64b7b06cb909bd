/**
 * Reaching a host through an HTTPS CONNECT proxy: TLS to the proxy first (validated like a
 * server), then `CONNECT host:port` with the Proxy-Authorization header inside that TLS, then
 * the FTP session inside the tunnel, its own TLS end to end. Each data connection is its
 * own CONNECT.
 */
import { isIP } from 'node:net';
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';
import { SessionError } from '../../errors';
import { sharedSecureContext } from '../secure-context-cache';
import { classifyTlsError } from '../tls-errors';
import { tlsOffer } from '../tls-profile';
import { directDialer, type Dialer } from '../tcp-dialer';
import { HandshakeReader } from './handshake-reader';
import { describeProxy, type ProxyEndpoint } from './proxy-target';

const MAX_RESPONSE_HEADER = 16 * 1024;

export function connectRequest(
  target: { host: string; port: number },
  proxy: Pick<ProxyEndpoint, 'user' | 'password'>,
): string {
  const authority = `${isIP(target.host) === 6 ? `[${target.host}]` : target.host}:${target.port}`;
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  if (proxy.user !== undefined)
    lines.push(
      `Proxy-Authorization: Basic ${Buffer.from(`${proxy.user}:${proxy.password ?? ''}`, 'utf8').toString('base64')}`,
    );
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** `HTTP/1.1 407 Proxy Authentication Required` -> { status: 407, reason: '...' }. */
export function parseStatusLine(header: string): { status: number; reason: string } | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(header.split('\r\n', 1)[0]);
  return match ? { status: Number(match[1]), reason: (match[2] ?? '').trim() } : undefined;
}

export function httpsConnectDialer(proxy: ProxyEndpoint, base: Dialer = directDialer): Dialer {
  const where = describeProxy(proxy);
  if (!proxy.caPem && !proxy.useSystemTrustStore) {
    throw new SessionError(
      'FTPSCTL_ERR_CERT_UNTRUSTED',
      `nothing would authenticate the ${where}: set proxy.caFile, or allow tls.pki.useSystemTrustStore`,
      { host: proxy.host },
    );
  }
  // The proxy password travels on every leg: the session's TLS policy (versions, suites, FIPS) applies to it too.
  // One secure context for every leg (control and each data connection), built once.
  const secureContext = sharedSecureContext({
    offer: tlsOffer(proxy.tls),
    useSystemTrustStore: proxy.useSystemTrustStore,
    caPems: proxy.caPem ? [proxy.caPem] : [],
    settingsName: 'proxy.caFile',
  });
  // Later legs resume the TLS session of an earlier one that passed verification (saves a full handshake).
  let resumable: Buffer | undefined;
  return async (target, timeoutMs) => {
    const tcp = await base({ host: proxy.host, port: proxy.port, purpose: target.purpose }, timeoutMs);
    const secure: TLSSocket = tlsConnect({
      socket: tcp.socket,
      secureContext,
      ...(resumable ? { session: resumable } : {}),
      ...(isIP(proxy.serverName) === 0 ? { servername: proxy.serverName } : {}),
      checkServerIdentity: (_host, cert) => checkServerIdentity(proxy.serverName, cert),
    });
    // Sessions (tickets) are held back until the proxy passed verification: resuming one skips it.
    const early: Buffer[] = [];
    const holdBack = (session: Buffer): void => void early.push(session);
    secure.on('session', holdBack);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new SessionError('FTPSCTL_ERR_TIMEOUT', `TLS with the ${where} took longer than ${timeoutMs} ms`, {
                host: proxy.host,
              }),
            ),
          timeoutMs,
        );
        secure.once('secureConnect', () => (clearTimeout(timer), resolve()));
        secure.once(
          'error',
          (error) => (clearTimeout(timer), reject(classifyTlsError(error, `the ${where}`, 'proxy'))),
        );
      });
      // Only now (chain and name verified): the sessions so far, and TLS 1.3's tickets as they come.
      secure.off('session', holdBack);
      resumable = early.at(-1) ?? resumable;
      secure.on('session', (session: Buffer) => void (resumable = session));
      const reader = new HandshakeReader(secure, `${proxy.host}:${proxy.port}`, timeoutMs);
      secure.write(connectRequest(target, proxy));
      const header = (await reader.through('\r\n\r\n', MAX_RESPONSE_HEADER, 'an answer to CONNECT')).toString('latin1');
      const status = parseStatusLine(header);
      if (!status)
        throw new SessionError(
          'FTPSCTL_ERR_PROTOCOL',
          `the ${where} answered CONNECT with something that is not HTTP: ${JSON.stringify(header.slice(0, 80))}`,
          { host: proxy.host },
        );
      if (status.status === 407) {
        throw new SessionError(
          'FTPSCTL_ERR_PROXY_AUTH',
          `the ${where} refused the credentials${proxy.user ? ` of "${proxy.user}"` : ' (none were sent)'} (407 ${status.reason}); check proxy.authorization and its password source`,
          { host: proxy.host },
        );
      }
      if (status.status < 200 || status.status > 299) {
        throw new SessionError(
          'FTPSCTL_ERR_PROXY_REFUSED',
          `the ${where} refused to connect to ${target.host}:${target.port}: ${status.status} ${status.reason}`,
          { host: proxy.host },
        );
      }
      return { socket: reader.release() };
    } catch (error) {
      secure.destroy();
      tcp.socket.destroy();
      throw error;
    }
  };
}
