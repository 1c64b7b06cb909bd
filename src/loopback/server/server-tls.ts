/**
 * The server's TLS side, shared by control and data connections. One SecureContext with
 * this server's own session ticket keys: tickets issued on the control connection (TLS 1.2
 * and 1.3) can then be resumed on data connections, which is what the session-reuse check
 * looks for.
 */
import { randomBytes, type X509Certificate } from 'node:crypto';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { clientCertificateProblem, splitPemCertificates } from './client-certificate';
import type { ServerSettings } from './server-options';

export interface ServerTls {
  secureContext: tls.SecureContext;
  requestClientCert: boolean;
  authorities: X509Certificate[];
}

export function createServerTls(settings: ServerSettings): ServerTls {
  const secureContext = tls.createSecureContext({
    cert: settings.pki.cert,
    key: settings.pki.key,
    ...(settings.pki.ca ? { ca: settings.pki.ca } : {}),
    ...(settings.minVersion ? { minVersion: settings.minVersion } : {}),
    ...(settings.maxVersion ? { maxVersion: settings.maxVersion } : {}),
    // Required by OpenSSL for resumption once client certificates are requested.
    sessionIdContext: 'ftpsctl-embedded',
    ticketKeys: randomBytes(48),
  });
  return {
    secureContext,
    requestClientCert: settings.requestClientCert,
    authorities: splitPemCertificates(settings.pki.ca ?? ''),
  };
}

export class TlsAcceptError extends Error {}

/** Runs the server side of a TLS handshake over `transport`; rejects on failure, timeout or a refused client certificate. */
export function acceptTls(transport: Duplex, serverTls: ServerTls, timeoutMs: number): Promise<tls.TLSSocket> {
  // rejectUnauthorized makes OpenSSL refuse a missing certificate with an alert (certificate_required in TLS 1.3), as real servers do.
  const socket = new tls.TLSSocket(transport, {
    isServer: true,
    secureContext: serverTls.secureContext,
    requestCert: serverTls.requestClientCert,
    rejectUnauthorized: serverTls.requestClientCert,
  });
  return new Promise((resolve, reject) => {
    const fail = (message: string, cause?: unknown): void => {
      cleanup();
      socket.destroy();
      reject(new TlsAcceptError(message, { cause }));
    };
    const onError = (error: Error): void => fail(`TLS handshake failed: ${error.message}`, error);
    const onClose = (): void => fail('connection closed during the TLS handshake');
    const timer = setTimeout(() => fail('TLS handshake timed out'), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    socket.on('error', onError);
    socket.on('close', onClose);
    socket.once('secure', () => {
      const problem = serverTls.requestClientCert ? clientCertificateProblem(socket, serverTls.authorities) : undefined;
      if (problem) return fail(problem);
      cleanup();
      // Late errors (a reset mid-transfer) reach whoever reads the socket; never crash the server.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });
}
