import { FtpsctlError } from '../errors/ftpsctl-error';
import type { ProfileProblem } from './profile-problems';

/** Formats one problem as `file:line:col pointer message` (the CLI's and the error's line format). */
export function formatProblem(file: string, problem: ProfileProblem): string {
  const where = problem.line === null ? file : `${file}:${problem.line}:${problem.column}`;
  return problem.pointer ? `${where} ${problem.pointer} ${problem.message}` : `${where} ${problem.message}`;
}

/** A profile that could not be read or is not valid; lists every problem found. */
export class ProfileError extends FtpsctlError {
  constructor(
    readonly file: string,
    readonly problems: ProfileProblem[],
    options?: { cause?: unknown; unreadable?: boolean },
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      options?.unreadable ? 'FTPSCTL_ERR_PROFILE_UNREADABLE' : 'FTPSCTL_ERR_PROFILE_INVALID',
      `invalid profile ${file} (${count}):\n${problems.map((p) => `  ${formatProblem(file, p)}`).join('\n')}`,
      options,
    );
  }

  override details(): Record<string, unknown> {
    return { file: this.file, problems: this.problems };
  }
}
