/**
 * One control connection's FTP session: reads commands one at a time, checks login and
 * order, dispatches to the command tables, and owns the passive port and the running
 * transfer. Transfers run while the next line is read, so ABOR can cut them; any other
 * command waits until the transfer's final reply is out.
 */
import type { Duplex } from 'node:stream';
import { describeCommand, parseCommand, type ParsedCommand } from './command-line';
import type { ControlChannel } from './control-channel';
import { DIRECTORY_COMMANDS } from './directory-commands';
import { FILE_COMMANDS } from './file-commands';
import { INFO_COMMANDS } from './info-commands';
import { LOGIN_COMMANDS } from './login-commands';
import { PassivePort } from './passive-port';
import { formatReply } from './reply';
import { SECURITY_COMMANDS } from './security-commands';
import { acceptTls } from './server-tls';
import type { CommandTable, ResolvedPath, ServerContext, SessionContext, SessionState } from './session-context';
import { TRANSFER_COMMANDS } from './transfer-commands';
import { resolveVirtualPath } from './virtual-path';

const COMMANDS: CommandTable = {
  ...LOGIN_COMMANDS,
  ...SECURITY_COMMANDS,
  ...INFO_COMMANDS,
  ...DIRECTORY_COMMANDS,
  ...FILE_COMMANDS,
  ...TRANSFER_COMMANDS,
};

export class FtpSession implements SessionContext {
  readonly state: SessionState = {
    user: undefined,
    loggedIn: false,
    pbszDone: false,
    protection: 'C',
    cccDone: false,
    cwd: '/',
    type: 'A',
    restOffset: 0,
    renameFrom: undefined,
    hashAlgorithm: 'SHA-256',
  };
  private passivePort: PassivePort | undefined;
  /** The port a transfer is waiting on, and the data socket it is using: what ABOR cuts. */
  private transferPort: PassivePort | undefined;
  private dataSocket: Duplex | undefined;
  private transfer: Promise<void> | undefined;

  constructor(
    readonly channel: ControlChannel,
    readonly server: ServerContext,
  ) {}

  async run(): Promise<void> {
    try {
      if (this.server.settings.implicit) await this.channel.startTls(this.server.settings.dataTimeoutMs);
      await this.reply(220, 'ftpsctl embedded FTPS server ready');
      await this.readCommands();
    } catch (error) {
      this.server.settings.log(`! session ended: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.passivePort?.close();
      this.transferPort?.close();
      this.dataSocket?.destroy();
      this.channel.destroy();
    }
  }

  async reply(code: number, ...lines: string[]): Promise<void> {
    const text = formatReply(code, lines);
    this.server.settings.log(`> ${text.trimEnd().replace(/\r\n/g, '\n> ')}`);
    await this.channel.send(text);
  }

  async resolvePath(argument: string): Promise<ResolvedPath | undefined> {
    const virtualPath = resolveVirtualPath(this.state.cwd, argument);
    const realPath = virtualPath === undefined ? undefined : await this.server.jail.toRealPath(virtualPath);
    if (virtualPath === undefined || realPath === undefined) {
      await this.reply(550, `${argument}: Permission denied (outside the served folder)`);
      return undefined;
    }
    return { virtualPath, realPath };
  }

  async openPassivePort(): Promise<number> {
    this.passivePort?.close();
    this.passivePort = await PassivePort.open(this.channel.remoteAddress, (socket) => this.server.track(socket));
    return this.passivePort.port;
  }

  async openDataConnection(preliminary: string): Promise<Duplex | undefined> {
    const port = this.passivePort;
    this.passivePort = undefined;
    if (!port) {
      await this.reply(425, 'Use PASV or EPSV first');
      return undefined;
    }
    const { settings, serverTls } = this.server;
    if (settings.requireProtP && this.state.protection !== 'P') {
      port.close();
      await this.reply(521, 'Data connections must be protected: send PBSZ 0 and PROT P');
      return undefined;
    }
    this.transferPort = port;
    let raw;
    try {
      raw = await port.accept(settings.dataTimeoutMs);
    } catch {
      await this.reply(425, 'Cannot open data connection');
      return undefined;
    } finally {
      port.close(raw);
      this.transferPort = undefined;
    }
    raw.setNoDelay(true);
    this.dataSocket = raw;
    // vsftpd's order: 150 first, then the data-channel handshake (curl starts it only after the 150).
    await this.reply(150, preliminary);
    if (this.state.protection === 'C') return raw;
    try {
      const secured = await acceptTls(raw, serverTls, settings.dataTimeoutMs);
      this.server.track(secured);
      this.dataSocket = secured;
      if (settings.requireSessionReuse && !secured.isSessionReused()) {
        secured.destroy();
        await this.reply(522, 'TLS session of the data connection not resumed: session reuse required');
        return undefined;
      }
      return secured;
    } catch (error) {
      raw.destroy();
      await this.reply(
        425,
        `TLS on the data connection failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }

  private async readCommands(): Promise<void> {
    for (;;) {
      const received = await this.channel.nextLine();
      if (!received) return;
      if (received.kind === 'too-long') {
        await this.reply(500, 'Command line too long');
        continue;
      }
      const command = parseCommand(received.line);
      const described = describeCommand(command);
      this.server.recordCommand(described);
      this.server.settings.log(`< ${described}`);
      if (command.hasLineBreak) {
        await this.reply(501, 'CR or LF inside a command refused');
        continue;
      }
      if (command.verb === 'ABOR') {
        await this.abort();
        continue;
      }
      if (this.transfer) await this.transfer;
      if (command.verb === 'QUIT') {
        await this.reply(221, 'Goodbye');
        this.channel.end();
        return;
      }
      await this.dispatch(command);
    }
  }

  private async dispatch(command: ParsedCommand): Promise<void> {
    const spec = COMMANDS[command.verb];
    if (!spec) return this.reply(502, `${command.verb} not implemented`);
    if (spec.needsLogin && !this.state.loggedIn) return this.reply(530, 'Please log in with USER and PASS');
    // RFC 3659 5.3: REST applies to the command right after it only.
    if (command.verb !== 'REST' && !spec.transfer) this.state.restOffset = 0;
    if (command.verb !== 'RNTO') this.state.renameFrom = undefined;
    const running = spec.handler(this, command.argument).catch((error: unknown) => {
      this.server.settings.log(`! ${command.verb} failed: ${error instanceof Error ? error.message : String(error)}`);
      return this.reply(451, `${command.verb} failed: local error`);
    });
    if (!spec.transfer) return running;
    this.transfer = running.finally(() => {
      this.transfer = undefined;
      this.dataSocket = undefined;
    });
  }

  /** RFC 959 ABOR: a running transfer ends with 426, then ABOR itself gets 226. */
  private async abort(): Promise<void> {
    const transfer = this.transfer;
    if (!transfer) {
      this.passivePort?.close();
      this.passivePort = undefined;
      return this.reply(225, 'No transfer to abort');
    }
    this.transferPort?.close();
    this.dataSocket?.destroy();
    await transfer;
    return this.reply(226, 'ABOR successful');
  }
}
