/**
 * Files a policy supplies (a mandatory tls.pki.caFile), checked on the resolution: each problem
 * names the policy file and line that set it (NamedFileError, exit 3). The profile's own files
 * were checked when it was loaded (profile/named-files.ts). A relative path is read from the
 * folder of the policy file that wrote it (anchor-paths.ts).
 */
import path from 'node:path';
import { FtpsctlError } from '../errors/ftpsctl-error';
import { inspectUserFile, type UserFileProblem } from '../files/read-user-file';
import { namedFiles, shownPath } from '../profile/named-files';
import { anchorFolder } from './anchor-paths';
import type { Resolution } from './resolution';

/** A file a policy supplies, with the policy that supplied it. */
export interface PolicyFileProblem {
  setting: string;
  file: string;
  reason: UserFileProblem['reason'];
  policy?: string;
  policyFile?: string;
  line?: number;
  column?: number;
  message: string;
  /** The message without its leading `file:line:col ` (for reports that print the place themselves). */
  detail: string;
}

/**
 * Problems with the files that policies put into a resolution (the profile's own files were
 * checked when it was loaded), each naming the policy file and line.
 */
export async function checkPolicyNamedFiles(
  resolution: Pick<Resolution, 'settings'>,
  profileFile: string,
): Promise<PolicyFileProblem[]> {
  const files = namedFiles((settingPath) => resolution.settings[settingPath]?.value).filter(
    (named) => resolution.settings[named.settingPath]?.source === 'policy',
  );
  const problems: PolicyFileProblem[] = [];
  for (const named of files) {
    const resolved = path.resolve(anchorFolder(named.settingPath, profileFile, resolution), named.file);
    const problem = await inspectUserFile(resolved, named.kind);
    if (!problem) continue;
    const origin = resolution.settings[named.settingPath];
    const where = origin.file ? `${origin.file}${origin.line ? `:${origin.line}:${origin.column ?? 1}` : ''} ` : '';
    const by = origin.policy ? ` (${origin.enforce ?? 'set'} in policy ${origin.policy})` : '';
    const detail = `${named.label}${by}: ${shownPath(named.file, resolved)} ${problem.detail}`;
    problems.push({
      setting: named.label,
      file: resolved,
      reason: problem.reason,
      ...(origin.policy ? { policy: origin.policy } : {}),
      ...(origin.file ? { policyFile: origin.file } : {}),
      ...(origin.line ? { line: origin.line, column: origin.column ?? 1 } : {}),
      message: `${where}${detail}`,
      detail,
    });
  }
  return problems;
}

/** Files a policy names that can't be read: the session can't run as the policy demands (exit 3). */
export class NamedFileError extends FtpsctlError {
  constructor(readonly problems: PolicyFileProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      'FTPSCTL_ERR_INPUT_FILE',
      `a file a policy names can't be used (${count}):\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
    );
  }

  override details(): Record<string, unknown> {
    return { problems: this.problems };
  }
}

/** Throws NamedFileError when a file a policy put into the resolution is missing, special, oversize or unreadable. */
export async function assertPolicyNamedFiles(
  resolution: Pick<Resolution, 'settings'>,
  profileFile: string,
): Promise<void> {
  const problems = await checkPolicyNamedFiles(resolution, profileFile);
  if (problems.length > 0) throw new NamedFileError(problems);
}
