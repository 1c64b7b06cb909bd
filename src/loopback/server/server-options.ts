/** What `startEmbeddedServer` accepts, and the same with every default filled in. */
import type { SecureVersion } from 'node:tls';

export interface EmbeddedServerOptions {
  /** The folder served as `/`. */
  root: string;
  users: ReadonlyArray<{ user: string; password: string }>;
  /** PEM texts. `ca` is needed for requestClientCert. */
  pki: { cert: string; key: string; ca?: string };
  /** TLS from the first byte (ftps://) instead of AUTH TLS. Default false. */
  implicit?: boolean;
  /** USER before AUTH TLS gets 530. Default true. */
  requireTls?: boolean;
  /** Transfers with PROT C get 521 and PROT C gets 534. Default false. */
  requireProtP?: boolean;
  /** Like vsftpd's require_ssl_reuse: a PROT P data connection that did not resume the control session gets 522. Default true. */
  requireSessionReuse?: boolean;
  /** Mutual TLS: the client must present a certificate issued by `pki.ca` (and still log in). Default false. */
  requestClientCert?: boolean;
  /** Allow CCC (clear the control channel after login). Default false: CCC gets 534. */
  allowCcc?: boolean;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** Address announced in PASV replies (for NAT tests); the data listener is on 127.0.0.1 regardless. */
  pasvAddress?: string;
  /** Control port; default 0 (the system picks). */
  port?: number;
  /** How long a transfer waits for the client's data connection and its TLS handshake. Default 10 s. */
  dataTimeoutMs?: number;
  /** Slow file downloads to this rate (tests that interrupt a transfer). Default: no limit. */
  downloadBytesPerSecond?: number;
  /** Slow file uploads to this rate (tests that interrupt an upload before it can finish). Default: no limit. */
  uploadBytesPerSecond?: number;
  /** One line per command received and reply sent (`PASS` masked). */
  log?: (line: string) => void;
}

export type ServerSettings = Required<
  Omit<
    EmbeddedServerOptions,
    'pasvAddress' | 'minVersion' | 'maxVersion' | 'log' | 'downloadBytesPerSecond' | 'uploadBytesPerSecond'
  >
> &
  Pick<
    EmbeddedServerOptions,
    'pasvAddress' | 'minVersion' | 'maxVersion' | 'downloadBytesPerSecond' | 'uploadBytesPerSecond'
  > & {
    log: (line: string) => void;
  };

export function applyDefaults(options: EmbeddedServerOptions): ServerSettings {
  if (options.requestClientCert && !options.pki.ca)
    throw new TypeError('requestClientCert needs pki.ca to check client certificates against');
  // Field by field with ??, so an explicit `undefined` still gets the default.
  return {
    root: options.root,
    users: options.users,
    pki: options.pki,
    implicit: options.implicit ?? false,
    requireTls: options.requireTls ?? true,
    requireProtP: options.requireProtP ?? false,
    requireSessionReuse: options.requireSessionReuse ?? true,
    requestClientCert: options.requestClientCert ?? false,
    allowCcc: options.allowCcc ?? false,
    minVersion: options.minVersion,
    maxVersion: options.maxVersion,
    pasvAddress: options.pasvAddress,
    downloadBytesPerSecond: options.downloadBytesPerSecond,
    uploadBytesPerSecond: options.uploadBytesPerSecond,
    port: options.port ?? 0,
    dataTimeoutMs: options.dataTimeoutMs ?? 10_000,
    log: options.log ?? (() => undefined),
  };
}
