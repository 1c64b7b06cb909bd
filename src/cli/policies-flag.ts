import { Errors, Flags } from '@oclif/core';

/**
 * A `parse` for a path flag that refuses an empty value (`--policies=`, `--audit-log ""`): an
 * empty path would otherwise read as the current folder or as a file with no name. Throws
 * oclif's parse error (exit 2), which FtpsctlCommand reports as FTPSCTL_ERR_USAGE.
 */
export function nonEmptyPath(flag: string, needs: string): (input: string) => Promise<string> {
  return async (input: string): Promise<string> => {
    if (input.trim() === '')
      throw new Errors.CLIError(`${flag} needs ${needs}; it was given an empty value (${flag}=)`, { exit: 2 });
    return input;
  };
}

/** `--policies DIR` (repeatable), shared by every command that resolves profiles: ADDS a source, never removes the machine's. */
export const policiesFlag = Flags.string({
  description:
    'add a policy folder or file (repeatable; its files rank as user scope at most); the machine folder (/etc/ftpsctl/policies) and $FTPSCTL_POLICY_DIR apply as well',
  multiple: true,
  // One value per --policies: a repeatable flag must not swallow the arguments after it.
  multipleNonGreedy: true,
  parse: nonEmptyPath('--policies', 'a policy folder or file'),
});

/** `--policies-only DIR` (resolve, audit, policy validate): a what-if simulation without the machine's policies. Sessions have no such flag. */
export const policiesOnlyFlag = Flags.string({
  description:
    "simulation: evaluate only these policy folders or files (repeatable), ranked as they declare, without the machine's policies; the output says it is a simulation",
  multiple: true,
  multipleNonGreedy: true,
  exclusive: ['policies'],
  parse: nonEmptyPath('--policies-only', 'a policy folder or file'),
});

/** `--audit-log FILE` (repeatable), for session commands: also append the audit events to this JSON-lines file. */
export const auditLogFlag = Flags.string({
  description: 'also append the audit events to this JSON-lines file (a policy may name another one too)',
  multiple: true,
  multipleNonGreedy: true,
  parse: nonEmptyPath('--audit-log', 'an audit log file (a regular file, created 0600 if missing)'),
});
