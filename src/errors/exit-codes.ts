import { constants } from 'node:os';
import { InterruptedError, type FtpsctlErrorCode, type InterruptSignal } from './ftpsctl-error';

/** The CLI's exit codes (DESIGN.md); the only place that maps error codes to them. */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  invalidInput: 3,
  refusedByPolicy: 4,
  securityFailure: 5,
  networkFailure: 6,
  /** Ctrl-C (128 + SIGINT), as shells report it; SIGTERM and SIGHUP give 143 and 129 (exitCodeForSignal). */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** 128 + the signal's number (SIGINT 130, SIGTERM 143, SIGHUP 129): what a shell reports for a death by it. */
export function exitCodeForSignal(signal: InterruptSignal): number {
  return 128 + constants.signals[signal];
}

/**
 * What kind of failure an error is. Every FTPSCTL_ERR_* code belongs to exactly one category;
 * exit codes derive from categories (below), and callers that need to know "is this a security
 * failure?" ask the category, never the exit table or the message.
 */
export type ErrorCategory = 'usage' | 'invalid-input' | 'refused' | 'security' | 'network' | 'interrupted' | 'internal';

const categoryByErrorCode: Record<FtpsctlErrorCode, ErrorCategory> = {
  FTPSCTL_ERR_USAGE: 'usage',
  FTPSCTL_ERR_FILE_EXISTS: 'usage',
  FTPSCTL_ERR_PROFILE_INVALID: 'invalid-input',
  FTPSCTL_ERR_PROFILE_UNREADABLE: 'invalid-input',
  FTPSCTL_ERR_POLICY_INVALID: 'invalid-input',
  FTPSCTL_ERR_INPUT_FILE: 'invalid-input',
  FTPSCTL_ERR_REFUSED_BY_POLICY: 'refused',
  FTPSCTL_ERR_TLS_REFUSED: 'security',
  FTPSCTL_ERR_TLS_HANDSHAKE: 'security',
  FTPSCTL_ERR_TLS_STRENGTH: 'security',
  FTPSCTL_ERR_CERT_EXPIRED: 'security',
  FTPSCTL_ERR_CERT_UNTRUSTED: 'security',
  FTPSCTL_ERR_CERT_HOSTNAME: 'security',
  FTPSCTL_ERR_CERT_REVOKED: 'security',
  FTPSCTL_ERR_CERT_REQUIRED: 'security',
  FTPSCTL_ERR_PIN_MISMATCH: 'security',
  FTPSCTL_ERR_PASV_ADDRESS: 'security',
  FTPSCTL_ERR_FIPS_UNAVAILABLE: 'security',
  FTPSCTL_ERR_DOWNGRADE: 'security',
  FTPSCTL_ERR_CONNECT: 'network',
  FTPSCTL_ERR_TIMEOUT: 'network',
  FTPSCTL_ERR_PROTOCOL: 'network',
  FTPSCTL_ERR_AUTH_FAILED: 'network',
  FTPSCTL_ERR_COMMAND_FAILED: 'network',
  FTPSCTL_ERR_TRANSFER: 'network',
  FTPSCTL_ERR_VERIFY: 'network',
  FTPSCTL_ERR_CLOSED: 'network',
  FTPSCTL_ERR_CCC_REFUSED: 'network',
  FTPSCTL_ERR_LOCAL_FILE: 'network',
  FTPSCTL_ERR_AUDIT_LOG: 'network',
  FTPSCTL_ERR_INTERRUPTED: 'interrupted',
  FTPSCTL_ERR_PROXY_AUTH: 'network',
  FTPSCTL_ERR_PROXY_REFUSED: 'network',
  FTPSCTL_ERR_INTERNAL: 'internal',
};

const exitCodeByCategory: Record<ErrorCategory, ExitCodeValue> = {
  usage: ExitCode.usage,
  'invalid-input': ExitCode.invalidInput,
  refused: ExitCode.refusedByPolicy,
  security: ExitCode.securityFailure,
  network: ExitCode.networkFailure,
  interrupted: ExitCode.interrupted,
  internal: ExitCode.unexpected,
};

/** The category of an error code; unknown codes are internal (a bug). */
export function errorCategory(code: string): ErrorCategory {
  return (categoryByErrorCode as Record<string, ErrorCategory | undefined>)[code] ?? 'internal';
}

/** The CLI's exit code for an error code (DESIGN.md), derived from its category. */
export function exitCodeFor(code: string): ExitCodeValue {
  return exitCodeByCategory[errorCategory(code)];
}

/** The CLI's exit code for an error: exitCodeFor its code, except a signal's interruption (exitCodeForSignal). */
export function exitCodeForError(error: { code: string }): number {
  return error instanceof InterruptedError ? exitCodeForSignal(error.signal) : exitCodeFor(error.code);
}

/** True for a certificate, pin, protocol-version, strength or downgrade failure (exit 5). */
export function isSecurityFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('FTPSCTL_ERR_') && errorCategory(code) === 'security';
}

/** Rows of the exit-code table shown in the README and in `--help`. */
export const exitCodeTable: ReadonlyArray<{ code: ExitCodeValue; meaning: string }> = [
  { code: ExitCode.ok, meaning: 'success' },
  { code: ExitCode.unexpected, meaning: 'unexpected error (a bug: please report it)' },
  {
    code: ExitCode.usage,
    meaning: 'usage error: unknown command or flag, missing argument, file would be overwritten',
  },
  {
    code: ExitCode.invalidInput,
    meaning:
      'invalid input: a profile or policy file, or a file one names (CA, CRL, client certificate or key, password file), is missing, unreadable or invalid',
  },
  { code: ExitCode.refusedByPolicy, meaning: 'refused by policy: the resolved settings violate a policy' },
  { code: ExitCode.securityFailure, meaning: 'security failure: TLS, certificate or downgrade problem' },
  { code: ExitCode.networkFailure, meaning: 'network, protocol or transfer failure' },
  {
    code: ExitCode.interrupted,
    meaning:
      'interrupted (Ctrl-C; SIGTERM exits 143 and SIGHUP 129, 128 + the signal as shells count); a download in progress is left as NAME.ftpsctl-part for --resume',
  },
];
