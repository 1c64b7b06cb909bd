/**
 * Runs the built ftpsctl binary (as test/helpers/run-cli.ts does) with a kill bound, and says
 * whether the bound was hit: a command that hangs on a hostile input is a finding, not a
 * jest timeout.
 */
import { execFile } from 'node:child_process';
import { binary, repoRoot } from '../helpers/run-cli';

export interface BoundedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the child was still running at the bound and was killed. */
  killed: boolean;
}

export function runBounded(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; boundMs?: number } = {},
): Promise<BoundedRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binary, ...args],
      {
        cwd: options.cwd ?? repoRoot,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', FTPSCTL_POLICY_DIR: '', ...options.env },
        timeout: options.boundMs ?? 10_000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const killed = error?.killed === true || error?.signal === 'SIGKILL';
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, killed });
      },
    );
  });
}
