/**
 * The server side of a TLS handshake on an accepted socket (control or data). One secure
 * context per hostile server, shared by control and data connections, so a data
 * connection can resume the control connection's session through its ticket.
 */

import type { Socket } from 'node:net';
import { TLSSocket, type SecureContext } from 'node:tls';

export type TlsOutcome =
  | { secure: true; socket: TLSSocket; resumed: boolean; servername: string | undefined; protocol: string | undefined }
  | { secure: false; socket: TLSSocket; error: string };

export function serveTls(raw: Socket, secureContext: SecureContext): Promise<TlsOutcome> {
  const socket = new TLSSocket(raw, { isServer: true, secureContext });
  return new Promise((resolve) => {
    const fail = (error: string): void => {
      socket.destroy();
      resolve({ secure: false, socket, error });
    };
    socket.once('secure', () => {
      socket.off('close', onClose);
      const servername = typeof socket.servername === 'string' ? socket.servername : undefined;
      resolve({
        secure: true,
        socket,
        resumed: socket.isSessionReused(),
        servername,
        protocol: socket.getProtocol() ?? undefined,
      });
    });
    const onClose = (): void => fail('connection closed during the handshake');
    socket.once('close', onClose);
    // Stays attached: a TLS error after the handshake must not crash the test process.
    socket.on('error', (error) => fail(error.message));
  });
}
