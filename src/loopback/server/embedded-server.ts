/**
 * An embedded FTPS server (node:net + node:tls, no dependency) for `npm run demo` and for
 * machines without the Debian FTP servers.
 *
 * Why not the npm package ftp-srv (4.6.3, judged 2026-11): its PROT handler answers 536 to
 * PROT C and has no session-reuse check on data connections, no CCC, no HASH and no MLSD;
 * it pulls in bunyan, bluebird, lodash, moment and yargs. The testbed needs exact control
 * of those very behaviours (vsftpd-style `522 session reuse required`, CCC with
 * close_notify, EPSV-only data on loopback), so we own the ~1k lines instead.
 */
import net from 'node:net';
import { ControlChannel } from './control-channel';
import { FtpSession } from './ftp-session';
import { RootJail } from './root-jail';
import { applyDefaults, type EmbeddedServerOptions } from './server-options';
import { createServerTls } from './server-tls';
import type { Closable, ServerContext } from './session-context';

export interface EmbeddedServer {
  host: string;
  port: number;
  /** `ftp://127.0.0.1:PORT` (explicit) or `ftps://127.0.0.1:PORT` (implicit). */
  url: string;
  /** Destroys every socket and closes the listeners. */
  stop(): Promise<void>;
  /** Control connections accepted so far. */
  readonly connections: number;
  /** Commands received, in order, as `VERB argument` (`PASS ****`). */
  readonly commands: string[];
}

export async function startEmbeddedServer(options: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const settings = applyDefaults(options);
  const open = new Set<Closable>();
  const commands: string[] = [];
  let connections = 0;
  const context: ServerContext = {
    settings,
    serverTls: createServerTls(settings),
    jail: await RootJail.open(settings.root),
    track: (socket) => {
      open.add(socket);
      socket.once('close', () => open.delete(socket));
    },
    recordCommand: (text) => commands.push(text),
  };

  const listener = net.createServer((socket) => {
    connections += 1;
    socket.on('error', () => undefined);
    context.track(socket);
    void new FtpSession(new ControlChannel(socket, context.serverTls), context).run();
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(settings.port, '127.0.0.1', () => resolve());
  });
  const { port } = listener.address() as net.AddressInfo;
  const host = '127.0.0.1';
  settings.log(`* listening on ${host}:${port} (${settings.implicit ? 'implicit' : 'explicit'} FTPS)`);

  return {
    host,
    port,
    url: `${settings.implicit ? 'ftps' : 'ftp'}://${host}:${port}`,
    commands,
    get connections() {
      return connections;
    },
    stop: async () => {
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const socket of open) socket.destroy();
      open.clear();
      await closed;
    },
  };
}
