import { execFile } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../..');
export const binary = path.join(repoRoot, 'bin/run.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built ftpsctl binary (npm test builds first) as a user would, without a TTY. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binary, ...args],
      {
        cwd: options.cwd ?? repoRoot,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env },
        timeout: 30_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Fails with the run's stderr in the message when it did not exit 0, so a CI log says why. */
export function expectExitZero(run: CliRun, what: string): void {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}; stderr:\n${run.stderr}\nstdout:\n${run.stdout}`);
}
