/** What command handlers see of a control session, and of the server around it. */
import type { Duplex } from 'node:stream';
import type { ControlChannel } from './control-channel';
import type { HashAlgorithm } from './features';
import type { RootJail } from './root-jail';
import type { ServerSettings } from './server-options';
import type { ServerTls } from './server-tls';

export interface SessionState {
  /** Set by USER, cleared by a failed PASS. */
  user: string | undefined;
  loggedIn: boolean;
  pbszDone: boolean;
  protection: 'C' | 'P';
  /** After CCC the control connection is in clear for good; PBSZ/PROT/AUTH are refused. */
  cccDone: boolean;
  /** Virtual current directory, always absolute. */
  cwd: string;
  type: 'A' | 'I';
  /** From REST, used by the next RETR/STOR only. */
  restOffset: number;
  /** Real path named by RNFR, waiting for RNTO. */
  renameFrom: string | undefined;
  hashAlgorithm: HashAlgorithm;
}

/** Something `stop()` must be able to destroy. */
export interface Closable {
  destroy(): void;
  once(event: 'close', listener: () => void): unknown;
}

export interface ServerContext {
  readonly settings: ServerSettings;
  readonly serverTls: ServerTls;
  readonly jail: RootJail;
  track(socket: Closable): void;
  recordCommand(text: string): void;
}

export interface ResolvedPath {
  virtualPath: string;
  realPath: string;
}

export interface SessionContext {
  readonly server: ServerContext;
  readonly state: SessionState;
  readonly channel: ControlChannel;
  reply(code: number, ...lines: string[]): Promise<void>;
  /** The real path for a client path inside the root, or undefined after replying 550. */
  resolvePath(argument: string): Promise<ResolvedPath | undefined>;
  /** Opens a new passive port (closing any previous one) and returns its number. */
  openPassivePort(): Promise<number>;
  /**
   * For a transfer: waits for the client's data connection, replies 150 with `preliminary`,
   * runs TLS when PROT P and checks session reuse. Undefined after replying the failure
   * (425, 521, 522).
   */
  openDataConnection(preliminary: string): Promise<Duplex | undefined>;
}

export type CommandHandler = (session: SessionContext, argument: string) => Promise<void>;

export interface CommandSpec {
  handler: CommandHandler;
  /** Refused with 530 before PASS succeeded. */
  needsLogin: boolean;
  /** Runs while the control connection keeps reading, so ABOR can stop it. */
  transfer?: boolean;
}

export type CommandTable = Readonly<Record<string, CommandSpec>>;
