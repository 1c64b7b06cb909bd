/**
 * The one error hierarchy of ftpsctl. Every error carries a stable `code`; callers branch
 * on the code, never on the message, and the CLI maps codes to exit codes in one table
 * (exit-codes.ts). Wrapped errors keep their origin in `cause`; messages are never edited.
 */
export type FtpsctlErrorCode =
  | 'FTPSCTL_ERR_USAGE'
  | 'FTPSCTL_ERR_PROFILE_INVALID'
  | 'FTPSCTL_ERR_PROFILE_UNREADABLE'
  | 'FTPSCTL_ERR_POLICY_INVALID'
  /** A file a profile or policy names (CA, CRL, client certificate or key, password or passphrase file) is missing, not a regular file, too large or unreadable (exit 3). */
  | 'FTPSCTL_ERR_INPUT_FILE'
  | 'FTPSCTL_ERR_FILE_EXISTS'
  | 'FTPSCTL_ERR_REFUSED_BY_POLICY'
  // security failures (exit 5)
  | 'FTPSCTL_ERR_TLS_REFUSED'
  | 'FTPSCTL_ERR_TLS_HANDSHAKE'
  | 'FTPSCTL_ERR_TLS_STRENGTH'
  | 'FTPSCTL_ERR_CERT_EXPIRED'
  | 'FTPSCTL_ERR_CERT_UNTRUSTED'
  | 'FTPSCTL_ERR_CERT_HOSTNAME'
  | 'FTPSCTL_ERR_CERT_REVOKED'
  | 'FTPSCTL_ERR_CERT_REQUIRED'
  | 'FTPSCTL_ERR_PIN_MISMATCH'
  | 'FTPSCTL_ERR_PASV_ADDRESS'
  | 'FTPSCTL_ERR_FIPS_UNAVAILABLE'
  | 'FTPSCTL_ERR_DOWNGRADE'
  // network, protocol, transfer failures (exit 6)
  | 'FTPSCTL_ERR_CONNECT'
  | 'FTPSCTL_ERR_TIMEOUT'
  | 'FTPSCTL_ERR_PROTOCOL'
  | 'FTPSCTL_ERR_AUTH_FAILED'
  | 'FTPSCTL_ERR_COMMAND_FAILED'
  | 'FTPSCTL_ERR_TRANSFER'
  | 'FTPSCTL_ERR_VERIFY'
  | 'FTPSCTL_ERR_CLOSED'
  | 'FTPSCTL_ERR_CCC_REFUSED'
  | 'FTPSCTL_ERR_LOCAL_FILE'
  /** The audit log a session must write cannot be written (full disk, I/O error, short write): the session stops (exit 6). */
  | 'FTPSCTL_ERR_AUDIT_LOG'
  | 'FTPSCTL_ERR_INTERRUPTED'
  | 'FTPSCTL_ERR_PROXY_AUTH'
  | 'FTPSCTL_ERR_PROXY_REFUSED'
  | 'FTPSCTL_ERR_INTERNAL';

export class FtpsctlError extends Error {
  constructor(
    readonly code: FtpsctlErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Structured detail for `--json` error output (never secrets). */
  details(): Record<string, unknown> | undefined {
    return undefined;
  }
}

/** Misuse of a command or an API: a missing option, a file that would be overwritten. */
export class UsageError extends FtpsctlError {
  constructor(message: string, options?: { cause?: unknown; code?: 'FTPSCTL_ERR_USAGE' | 'FTPSCTL_ERR_FILE_EXISTS' }) {
    super(options?.code ?? 'FTPSCTL_ERR_USAGE', message, options);
  }
}

/** The signals a session command ends cleanly on (audit trail closed, part file kept for --resume). */
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/**
 * A session stopped by a signal (Ctrl-C, a service manager's SIGTERM, a closed terminal's SIGHUP).
 * The exit code is 128 + the signal's number, as shells report a death by that signal (exit-codes.ts).
 */
export class InterruptedError extends FtpsctlError {
  constructor(
    readonly signal: InterruptSignal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('FTPSCTL_ERR_INTERRUPTED', message, options);
  }

  override details(): Record<string, unknown> {
    return { signal: this.signal };
  }
}

export function isFtpsctlError(error: unknown): error is FtpsctlError {
  return error instanceof FtpsctlError;
}

/** What the server said, kept on protocol-level errors (never a secret: PASS replies carry none). */
export interface ServerReply {
  code: number;
  message: string;
}

/**
 * A failure of an FTPS session: connection, TLS, certificate, protocol or transfer. The
 * server's reply, when there was one, travels in `reply`; the host in `host`.
 */
export class SessionError extends FtpsctlError {
  readonly reply?: ServerReply;
  readonly host?: string;

  constructor(
    code: FtpsctlErrorCode,
    message: string,
    options?: { cause?: unknown; reply?: ServerReply; host?: string },
  ) {
    super(code, message, options);
    if (options?.reply) this.reply = { code: options.reply.code, message: options.reply.message };
    if (options?.host) this.host = options.host;
  }

  override details(): Record<string, unknown> | undefined {
    const details: Record<string, unknown> = {};
    if (this.reply) details.reply = this.reply;
    if (this.host) details.host = this.host;
    return Object.keys(details).length ? details : undefined;
  }
}
