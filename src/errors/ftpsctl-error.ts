/**
 * The one error hierarchy of ftpsctl. Every error carries a stable `code`; callers branch
 * on the code, never on the message, and the CLI maps codes to exit codes in one table
 * (exit-codes.ts). Wrapped errors keep their origin in `cause`; messages are never edited.
 */
export type FtpsctlErrorCode =
  | 'FTPSCTL_ERR_USAGE'
  | 'FTPSCTL_ERR_PROFILE_INVALID'
  | 'FTPSCTL_ERR_PROFILE_UNREADABLE'
  | 'FTPSCTL_ERR_FILE_EXISTS'
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

export function isFtpsctlError(error: unknown): error is FtpsctlError {
  return error instanceof FtpsctlError;
}
