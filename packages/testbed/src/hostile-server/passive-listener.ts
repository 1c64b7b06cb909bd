/**
 * A passive-mode data listener on 127.0.0.1 (whatever address the 227 reply claims).
 * Every accepted connection is counted and recorded, TLS-wrapped when the control
 * connection has PROT P at accept time, and queued for the next transfer.
 */

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { serveTls } from './serve-tls';
import type { ServerLifetime } from './server-lifetime';
import type { TrafficLog } from './traffic-log';

export interface DataChannel {
  socket: Socket;
  dataConnection: number;
  tlsUp: boolean;
  resumed: boolean;
  /** Resolves when the client ended or closed the data connection. */
  ended: Promise<void>;
  /** Resolves when the data connection is fully closed. */
  closed: Promise<void>;
}

export interface PassiveListenerContext {
  connection: number;
  lifetime: ServerLifetime;
  log: TrafficLog;
  secureContext: SecureContext | undefined;
  /** Whether PROT P is in force right now. */
  protectData: () => boolean;
  /** Never start TLS on data connections (script `dataTls: 'withheld'`). */
  withholdTls?: boolean;
  /** Hands out the next data connection number and counts it. */
  countDataConnection: () => number;
}

export class PassiveListener {
  private readonly ready: DataChannel[] = [];
  private readonly waiting: Array<(channel: DataChannel) => void> = [];

  private constructor(
    private readonly server: Server,
    private readonly context: PassiveListenerContext,
  ) {}

  static open(context: PassiveListenerContext): Promise<PassiveListener> {
    const server = createServer();
    const listener = new PassiveListener(server, context);
    context.lifetime.trackServer(server);
    server.on('connection', (socket) => void listener.accept(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(listener));
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The next data connection, or `undefined` when none arrives within `timeoutMs`. */
  async nextConnection(timeoutMs: number): Promise<DataChannel | undefined> {
    const ready = this.ready.shift();
    if (ready) return ready;
    return new Promise((resolve) => {
      const take = (channel: DataChannel): void => resolve(channel);
      this.waiting.push(take);
      void this.context.lifetime.sleep(timeoutMs).then(() => {
        const index = this.waiting.indexOf(take);
        if (index < 0) return;
        this.waiting.splice(index, 1);
        resolve(undefined);
      });
    });
  }

  close(): void {
    this.server.close();
  }

  private async accept(raw: Socket): Promise<void> {
    const { connection, lifetime, log, secureContext } = this.context;
    lifetime.trackSocket(raw);
    raw.on('error', () => undefined);
    const dataConnection = this.context.countDataConnection();
    let socket: Socket = raw;
    let tlsUp = false;
    let resumed = false;
    if (this.context.protectData() && secureContext && !this.context.withholdTls) {
      const outcome = await serveTls(raw, secureContext);
      log.handshake(
        outcome.secure
          ? {
              connection,
              channel: 'data',
              dataConnection,
              secure: true,
              resumed: outcome.resumed,
              servername: outcome.servername,
              protocol: outcome.protocol,
              error: undefined,
            }
          : {
              connection,
              channel: 'data',
              dataConnection,
              secure: false,
              resumed: false,
              servername: undefined,
              protocol: undefined,
              error: outcome.error,
            },
      );
      if (!outcome.secure) return;
      socket = outcome.socket;
      tlsUp = true;
      resumed = outcome.resumed;
    }
    socket.on('data', (bytes: Buffer) => log.data(connection, dataConnection, tlsUp, bytes));
    const ended = new Promise<void>((resolve) => {
      socket.once('end', resolve);
      socket.once('close', resolve);
    });
    const closed = new Promise<void>((resolve) => socket.once('close', resolve));
    const channel: DataChannel = { socket, dataConnection, tlsUp, resumed, ended, closed };
    const take = this.waiting.shift();
    if (take) take(channel);
    else this.ready.push(channel);
  }
}
