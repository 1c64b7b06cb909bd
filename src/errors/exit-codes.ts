import type { FtpsctlErrorCode } from './ftpsctl-error';

/** The CLI's exit codes (DESIGN.md); the only place that maps error codes to them. */
export const ExitCode = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  invalidInput: 3,
  refusedByPolicy: 4,
  securityFailure: 5,
  networkFailure: 6,
  /** Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

const exitCodeByErrorCode: Record<FtpsctlErrorCode, ExitCodeValue> = {
  FTPSCTL_ERR_USAGE: ExitCode.usage,
  FTPSCTL_ERR_FILE_EXISTS: ExitCode.usage,
  FTPSCTL_ERR_PROFILE_INVALID: ExitCode.invalidInput,
  FTPSCTL_ERR_PROFILE_UNREADABLE: ExitCode.invalidInput,
  FTPSCTL_ERR_POLICY_INVALID: ExitCode.invalidInput,
  FTPSCTL_ERR_INPUT_FILE: ExitCode.invalidInput,
  FTPSCTL_ERR_REFUSED_BY_POLICY: ExitCode.refusedByPolicy,
  FTPSCTL_ERR_TLS_REFUSED: ExitCode.securityFailure,
  FTPSCTL_ERR_TLS_HANDSHAKE: ExitCode.securityFailure,
  FTPSCTL_ERR_TLS_STRENGTH: ExitCode.securityFailure,
  FTPSCTL_ERR_CERT_EXPIRED: ExitCode.securityFailure,
  FTPSCTL_ERR_CERT_UNTRUSTED: ExitCode.securityFailure,
  FTPSCTL_ERR_CERT_HOSTNAME: ExitCode.securityFailure,
  FTPSCTL_ERR_CERT_REVOKED: ExitCode.securityFailure,
  FTPSCTL_ERR_CERT_REQUIRED: ExitCode.securityFailure,
  FTPSCTL_ERR_PIN_MISMATCH: ExitCode.securityFailure,
  FTPSCTL_ERR_PASV_ADDRESS: ExitCode.securityFailure,
  FTPSCTL_ERR_FIPS_UNAVAILABLE: ExitCode.securityFailure,
  FTPSCTL_ERR_DOWNGRADE: ExitCode.securityFailure,
  FTPSCTL_ERR_CONNECT: ExitCode.networkFailure,
  FTPSCTL_ERR_TIMEOUT: ExitCode.networkFailure,
  FTPSCTL_ERR_PROTOCOL: ExitCode.networkFailure,
  FTPSCTL_ERR_AUTH_FAILED: ExitCode.networkFailure,
  FTPSCTL_ERR_COMMAND_FAILED: ExitCode.networkFailure,
  FTPSCTL_ERR_TRANSFER: ExitCode.networkFailure,
  FTPSCTL_ERR_VERIFY: ExitCode.networkFailure,
  FTPSCTL_ERR_CLOSED: ExitCode.networkFailure,
  FTPSCTL_ERR_CCC_REFUSED: ExitCode.networkFailure,
  FTPSCTL_ERR_LOCAL_FILE: ExitCode.networkFailure,
  FTPSCTL_ERR_AUDIT_LOG: ExitCode.networkFailure,
  FTPSCTL_ERR_INTERRUPTED: ExitCode.interrupted,
  FTPSCTL_ERR_PROXY_AUTH: ExitCode.networkFailure,
  FTPSCTL_ERR_PROXY_REFUSED: ExitCode.networkFailure,
  FTPSCTL_ERR_INTERNAL: ExitCode.unexpected,
};

export function exitCodeFor(code: string): ExitCodeValue {
  return (exitCodeByErrorCode as Record<string, ExitCodeValue | undefined>)[code] ?? ExitCode.unexpected;
}

/** Rows of the exit-code table shown in the README and in `--help`. */
export const exitCodeTable: ReadonlyArray<{ code: ExitCodeValue; meaning: string }> = [
  { code: ExitCode.ok, meaning: 'success' },
  { code: ExitCode.unexpected, meaning: 'unexpected error (a bug: please report it)' },
  { code: ExitCode.usage, meaning: 'usage error: unknown command or flag, missing argument, file would be overwritten' },
  { code: ExitCode.invalidInput, meaning: 'invalid input: a profile or policy file, or a file one names (CA, CRL, client certificate or key, password file), is missing, unreadable or invalid' },
  { code: ExitCode.refusedByPolicy, meaning: 'refused by policy: the resolved settings violate a policy' },
  { code: ExitCode.securityFailure, meaning: 'security failure: TLS, certificate or downgrade problem' },
  { code: ExitCode.networkFailure, meaning: 'network, protocol or transfer failure' },
  { code: ExitCode.interrupted, meaning: 'interrupted (Ctrl-C); a download in progress is left as NAME.ftpsctl-part for --resume' },
];
