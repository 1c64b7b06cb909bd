/**
 * Everything a hostile server has open — listeners, sockets, pauses — so `stop()` can end
 * all of it at once and a test leaves no handle behind, whatever state the script was in.
 */

import type { Server, Socket } from 'node:net';

interface Pause {
  timer: NodeJS.Timeout;
  resolve: (finished: boolean) => void;
}

export class ServerLifetime {
  private readonly servers = new Set<Server>();
  private readonly sockets = new Set<Socket>();
  private readonly pauses = new Set<Pause>();
  private stopping = false;

  get stopped(): boolean {
    return this.stopping;
  }

  trackServer(server: Server): void {
    this.servers.add(server);
    server.once('close', () => this.servers.delete(server));
  }

  /** Tracks a socket until it closes; one that arrives after stop() is destroyed at once. */
  trackSocket(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** Resolves `true` after `ms`, or `false` at once when the server stops first. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const pause: Pause = {
        timer: setTimeout(() => {
          this.pauses.delete(pause);
          resolve(true);
        }, ms),
        resolve,
      };
      this.pauses.add(pause);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const pause of this.pauses) {
      clearTimeout(pause.timer);
      pause.resolve(false);
    }
    this.pauses.clear();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([...this.servers].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}
