/**
 * What every real-server launcher takes and returns. Tests code against these types, not
 * against a particular server, so a suite can run the same checks on vsftpd, proftpd,
 * pure-ftpd and pyftpdlib.
 */

export type RealServerKind = 'vsftpd' | 'proftpd' | 'pure-ftpd' | 'pyftpdlib';

/** PEM files the server presents; paths only, so the launchers don't depend on the test PKI. */
export interface ServerTlsFiles {
  certFile: string;
  keyFile: string;
  /** Key + certificate (+ CA) in one PEM file; pure-ftpd's classic format, optional there too. */
  bundleFile?: string;
  /** CA that client certificates must chain to; needed when a launcher requires a client certificate. */
  caFile?: string;
}

export interface PortRange {
  min: number;
  max: number;
}

/** Options every launcher understands. */
export interface RealServerOptions {
  tls: ServerTlsFiles;
  /** Login name; default `ftpsctl-test`. */
  user?: string;
  /** Login password; default a random one. Never put on a command line. */
  password?: string;
  /** How long to wait for the greeting; default 10 s. */
  startTimeoutMs?: number;
}

/** A running server on 127.0.0.1. Call `stop()` in afterAll/finally. */
export interface RealServer {
  readonly kind: RealServerKind;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly passivePorts: PortRange;
  readonly user: string;
  readonly password: string;
  /** The folder the user sees as `/` (a fresh temp directory, writable by the server). */
  readonly root: string;
  /** Kills the server's process group, waits for it to exit and removes its files. Idempotent. */
  stop(): Promise<void>;
  /** Everything the server logged so far, for failure messages. */
  log(): string;
}
