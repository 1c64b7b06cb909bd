/**
 * The library's front door, and the CLI's: a managed, audited session from a profile file.
 *
 * ```ts
 * const session = await connect('payroll.json'); // the machine's policies always apply
 * try {
 *   await session.download('out/report.csv', 'report.csv'); // verified, audited
 * } finally {
 *   await session.close(); // session.end
 * }
 * ```
 * The unmanaged engine (no policies, no audit trail) is the subpath export `ftpsctl/engine`.
 */
import type { OpenSessionOptions } from '../engine/ftps-session';
import type { Credentials } from '../engine/engine-settings';
import type { PolicySet } from '../policy/policy-set';
import { loadSessionPolicies } from '../policy/policy-sources';
import { startManagedSession, type ManagedSession, type ManagedSessionOptions } from './managed-session';
import { prepareAuditedSession, recordRefusal } from './prepare-session';
import { readCredentials } from './session-credentials';
import type { SecretIo } from './secrets';
import { UsageError } from '../errors';
import { redactError } from '../text/secret-redaction';

export interface ConnectOptions {
  /**
   * Policy folders or files added to the machine's (as `--policies` and `$FTPSCTL_POLICY_DIR` do;
   * each checked like OpenSSH's StrictModes). They only add rules: the machine folder always applies.
   */
  policies?: readonly string[];
  /** Audit logs written besides the ones the profile and the policies name (the CLI's --audit-log). */
  auditLogFiles?: readonly string[];
  /**
   * Where the profile's secret sources are read: `env` (default `process.env`) for `{"env": ...}`,
   * `prompt` for `"prompt"` (default: none, so a prompted password fails with FTPSCTL_ERR_USAGE).
   */
  secrets?: Partial<SecretIo>;
  /** The secrets themselves, instead of the profile's sources. */
  credentials?: Credentials;
  /** The masked protocol log (commands with PASS masked, replies, TLS events), as `--debug` prints it. */
  log?: OpenSessionOptions['log'];
}

/**
 * Loads `profileFile`, resolves it against the machine's policies (plus `options.policies`),
 * refuses before connecting, reads the secrets, opens the audit logs and connects.
 * Relative paths in the profile are read from its folder, whatever the working directory.
 *
 * @throws FtpsctlError — FTPSCTL_ERR_PROFILE_INVALID or FTPSCTL_ERR_POLICY_INVALID (an input
 *   problem; CLI exit 3), FTPSCTL_ERR_REFUSED_BY_POLICY (exit 4), TLS/certificate failures (exit 5),
 *   network, login and protocol failures (exit 6). A refusal is recorded as `session.refused` in
 *   every audit log named before it is thrown; nothing has connected then.
 */
export async function connect(profileFile: string, options: ConnectOptions = {}): Promise<ManagedSession> {
  try {
    const policies = await loadSessionPolicies(pathList(options.policies, 'policies'), {
      addedOrigin: 'connect({ policies })',
    });
    return await openManagedSession(profileFile, policies, {
      auditLogFiles: pathList(options.auditLogFiles, 'auditLogFiles') ?? [],
      secrets: {
        env: options.secrets?.env ?? process.env,
        ...(options.secrets?.prompt ? { prompt: options.secrets.prompt } : {}),
      },
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.log ? { engine: { log: options.log } } : {}),
    });
  } catch (error) {
    // A password a server echoed into a reply is redacted here too: the caller gets the error object itself.
    throw redactError(error);
  }
}

/**
 * An option that must be a list of paths: checked, since a JavaScript caller can pass anything
 * (a string would be read as a list of one-letter paths).
 * @throws UsageError FTPSCTL_ERR_USAGE naming the option.
 */
function pathList(value: unknown, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === ''))
    throw new UsageError(
      `connect({ ${option} }) must be an array of paths (non-empty strings), e.g. ${option}: ['${option === 'policies' ? '/etc/ftpsctl/extra' : 'audit.jsonl'}']; got ${Array.isArray(value) ? `an array holding ${JSON.stringify(value.find((item) => typeof item !== 'string' || item.trim() === '') ?? null)}` : typeof value}`,
    );
  return value as string[];
}

/** `connect` with the policy set already loaded (the CLI loads it first, to print the unmanaged notice). */
export async function openManagedSession(
  profileFile: string,
  policies: PolicySet,
  options: ManagedSessionOptions,
): Promise<ManagedSession> {
  const prepared = await prepareAuditedSession(profileFile, policies, options.auditLogFiles ?? []);
  let credentials = options.credentials;
  if (!credentials) {
    try {
      credentials = await readCredentials(prepared.settings, options.secrets);
    } catch (error) {
      // A secret that can't be read stops the session before it connects: recorded like any refusal.
      await recordRefusal(profileFile, error, prepared.resolution, options.auditLogFiles ?? []);
      throw error;
    }
  }
  return startManagedSession(prepared, { ...options, credentials });
}
