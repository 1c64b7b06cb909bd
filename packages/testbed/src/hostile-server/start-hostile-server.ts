/**
 * Starts a hostile FTP(S) server on 127.0.0.1, port 0, and gives the test its port, what it
 * received and a stop() that ends every socket and listener.
 */

import { createServer, type AddressInfo } from 'node:net';
import { createSecureContext, type SecureVersion } from 'node:tls';
import { ControlSession } from './control-session';
import type { HostileScript, ReceivedCommand } from './hostile-script';
import { ServerLifetime } from './server-lifetime';
import { TrafficLog, type ControlReceipt, type DataReceipt, type HandshakeRecord } from './traffic-log';

export interface HostileServerOptions {
  /** PEM certificate (chain) and key; without them AUTH TLS is answered 502. */
  pki?: { cert: string; key: string };
  /** TLS from the first byte (implicit FTPS); needs `pki`. */
  implicit?: boolean;
  /** Protocol range of control and data TLS; default TLSv1.2 to TLSv1.3. */
  tls?: { minVersion?: SecureVersion; maxVersion?: SecureVersion };
}

export interface HostileServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Control connections accepted so far. */
  readonly connections: number;
  /** Data connections accepted so far, on any passive listener. */
  readonly dataConnections: number;
  /** Everything received on control connections, as text, in order; `tlsUp` says whether it arrived inside TLS. */
  received(): ControlReceipt[];
  /** Every control byte received, exactly as it arrived (names that are not UTF-8 included). */
  controlBytes(): Buffer;
  /** Verbs received, in order (e.g. `['AUTH', 'USER']`), answered or not. */
  commands(): string[];
  /** The commands in full: connection, TLS state, verb, argument, line. */
  commandLog(): ReceivedCommand[];
  /** Bytes received on data connections (uploads), per data connection. */
  dataReceived(): DataReceipt[];
  /** Every TLS handshake on control and data connections. */
  handshakes(): HandshakeRecord[];
  /** Script steps that did not match, and handler failures; a test should expect it empty. */
  scriptProblems(): string[];
  /** Resolves when control connection `connection` (from 1) has closed, or when the server stops. */
  connectionClosed(connection: number): Promise<void>;
  /** Destroys every socket and closes every listener. */
  stop(): Promise<void>;
}

function checkSetup(script: HostileScript, options: HostileServerOptions): void {
  if (options.implicit && !options.pki) throw new Error('An implicit-TLS hostile server needs options.pki');
  const address = script.passiveAddress;
  if (address !== undefined && !/^\d{1,3}(\.\d{1,3}){3}$/.test(address))
    throw new Error(`passiveAddress must be an IPv4 address, got ${JSON.stringify(address)}`);
  if (script.delivery?.kind === 'byte-by-byte' && !(script.delivery.delayMs >= 0))
    throw new Error('byte-by-byte delivery needs delayMs >= 0');
}

/** One promise per control connection number, made on first ask, so a test may wait before the connection exists. */
class CloseSignals {
  private readonly signals = new Map<number, { promise: Promise<void>; resolve: () => void }>();
  private allResolved = false;

  get(connection: number): { promise: Promise<void>; resolve: () => void } {
    let signal = this.signals.get(connection);
    if (!signal) {
      if (this.allResolved) return { promise: Promise.resolve(), resolve: () => undefined };
      let resolve = (): void => undefined;
      const promise = new Promise<void>((done) => (resolve = done));
      signal = { promise, resolve };
      this.signals.set(connection, signal);
    }
    return signal;
  }

  resolveAll(): void {
    this.allResolved = true;
    for (const signal of this.signals.values()) signal.resolve();
  }
}

export async function startHostileServer(
  script: HostileScript = {},
  options: HostileServerOptions = {},
): Promise<HostileServer> {
  checkSetup(script, options);
  const lifetime = new ServerLifetime();
  const log = new TrafficLog();
  const closeSignals = new CloseSignals();
  const secureContext = options.pki
    ? // Security level 0: a hostile server must be able to serve the weak certificates (SHA-1, RSA 1024) clients must refuse.
      createSecureContext({
        cert: options.pki.cert,
        key: options.pki.key,
        ciphers: 'DEFAULT:@SECLEVEL=0',
        minVersion: options.tls?.minVersion ?? 'TLSv1.2',
        maxVersion: options.tls?.maxVersion ?? 'TLSv1.3',
      })
    : undefined;
  let connections = 0;
  let dataConnections = 0;
  const countDataConnection = (): number => (dataConnections += 1);

  const server = createServer((socket) => {
    connections += 1;
    const connection = connections;
    const session = new ControlSession(socket, {
      connection,
      script,
      implicit: options.implicit ?? false,
      secureContext,
      lifetime,
      log,
      countDataConnection,
      onClose: () => closeSignals.get(connection).resolve(),
    });
    session.start().catch((error: unknown) => {
      log.problem(`connection ${connection}: ${error instanceof Error ? error.message : String(error)}`);
      socket.destroy();
    });
  });
  lifetime.trackServer(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });

  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    get dataConnections() {
      return dataConnections;
    },
    received: () => log.received(),
    controlBytes: () => log.controlBytes(),
    commands: () => log.commands().map((command) => command.verb),
    commandLog: () => log.commands(),
    dataReceived: () => log.dataReceived(),
    handshakes: () => log.handshakes(),
    scriptProblems: () => log.scriptProblems(),
    connectionClosed: (connection) => closeSignals.get(connection).promise,
    stop: async () => {
      await lifetime.stop();
      closeSignals.resolveAll();
    },
  };
}
