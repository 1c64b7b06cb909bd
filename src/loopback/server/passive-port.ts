/**
 * One passive data port (PASV/EPSV): a listener on 127.0.0.1 that hands over the first
 * connection from the control connection's peer address and then closes. Connections
 * arrive paused, so a client's early TLS ClientHello waits in the kernel until the
 * transfer wraps the socket after its 150 reply.
 */
import net from 'node:net';

export class PassivePort {
  private accepted: net.Socket | undefined;
  private waiter: { resolve: (socket: net.Socket) => void; reject: (error: Error) => void } | undefined;
  private closed = false;

  private constructor(
    private readonly server: net.Server,
    private readonly expectedPeer: string | undefined,
    private readonly track: (socket: net.Socket) => void,
  ) {
    server.on('connection', (socket) => this.onConnection(socket));
  }

  static async open(expectedPeer: string | undefined, track: (socket: net.Socket) => void): Promise<PassivePort> {
    const server = net.createServer({ pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new PassivePort(server, expectedPeer, track);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The client's data connection (raw TCP, paused); rejects after `timeoutMs`. */
  accept(timeoutMs: number): Promise<net.Socket> {
    if (this.accepted) return Promise.resolve(this.accepted);
    if (this.closed) return Promise.reject(new Error('passive port closed'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error('no data connection'));
      }, timeoutMs);
      this.waiter = {
        resolve: (socket) => {
          clearTimeout(timer);
          resolve(socket);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  /** Stops listening; a connection accepted but never used is closed too. */
  close(keep?: net.Socket): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    if (this.accepted && this.accepted !== keep) this.accepted.destroy();
    this.waiter?.reject(new Error('passive port closed'));
    this.waiter = undefined;
  }

  private onConnection(socket: net.Socket): void {
    // Data-connection theft: only the control connection's peer may connect, and only once.
    if (
      this.accepted ||
      this.closed ||
      (this.expectedPeer !== undefined && socket.remoteAddress !== this.expectedPeer)
    ) {
      socket.destroy();
      return;
    }
    socket.on('error', () => undefined);
    this.track(socket);
    this.accepted = socket;
    this.server.close();
    this.waiter?.resolve(socket);
    this.waiter = undefined;
  }
}
