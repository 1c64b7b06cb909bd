/**
 * Secrets from their sources: an environment variable, the first line of a regular file of at
 * most 4 KiB readable by its owner only (src/files/read-user-file.ts), or a prompt without echo
 * on a terminal. Never from a flag, never logged; an error names the source and the fix, never
 * the value.
 */
import { FtpsctlError } from '../errors';
import { fileContentProblem, firstLine } from '../files/file-content';
import { readUserFile } from '../files/read-user-file';
import { registerSecret } from '../text/secret-redaction';
import type { SecretSource } from '../settings/generated/effective-profile';

export interface SecretIo {
  env: NodeJS.ProcessEnv;
  /** Asks on the terminal without echo; undefined when there is no terminal. */
  prompt?: (question: string) => Promise<string>;
  /** For tests: the file-mode check (POSIX only). */
  platform?: NodeJS.Platform;
}

/**
 * `what` names the secret in messages: "the password of profile payroll". The value is
 * registered for redaction (text/secret-redaction.ts): it never reaches the output or a log,
 * even when a server echoes it.
 */
export async function readSecret(source: SecretSource, what: string, io: SecretIo): Promise<string> {
  const value = await readSecretValue(source, what, io);
  registerSecret(value);
  return value;
}

async function readSecretValue(source: SecretSource, what: string, io: SecretIo): Promise<string> {
  if (source === 'prompt') {
    if (!io.prompt)
      throw new FtpsctlError(
        'FTPSCTL_ERR_USAGE',
        `${what} comes from "prompt", but there is no terminal to ask on; use {"env": "VAR"} or {"file": "path"} in the profile`,
      );
    const answer = await io.prompt(`${what[0].toUpperCase()}${what.slice(1)}: `);
    if (answer === '') throw new FtpsctlError('FTPSCTL_ERR_USAGE', `${what}: nothing was entered`);
    return answer;
  }
  if ('env' in source) {
    const value = io.env[source.env];
    // The profile names the source: an input problem (exit 3), as a missing password file is.
    if (value === undefined || value === '')
      throw new FtpsctlError(
        'FTPSCTL_ERR_PROFILE_INVALID',
        `${what} comes from the environment variable ${source.env}, which ${value === undefined ? 'is not set' : 'is set but empty'}; set it to the secret, or change the profile's secret source`,
      );
    return value;
  }
  // A regular file of at most 4 KiB, opened without blocking (a FIFO or a device is refused, not read).
  const { bytes, stats } = await readUserFile(source.file, 'secret', { label: what });
  // Owner-only (POSIX) and a first line: the rule profile validate checks too (file-content.ts).
  const problem = fileContentProblem('secret', bytes, source.file, stats.mode, io.platform ?? process.platform);
  if (problem)
    throw new FtpsctlError('FTPSCTL_ERR_PROFILE_INVALID', `${what} comes from ${source.file}, which ${problem}`);
  return firstLine(bytes);
}
