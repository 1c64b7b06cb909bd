/**
 * One server child process: started with an argv array in its own process group (so its
 * session processes die with it), its stdin/stdout/stderr appended to a log file.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { onProcessExit } from './exit-cleanup';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly pid: number;
  /** Resolves when the main server process has exited. */
  readonly exited: Promise<ProcessExit>;
  hasExited(): boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`, then waits for the exit. */
  stop(graceMs?: number): Promise<void>;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

export function spawnServer(binary: string, args: readonly string[], outputFile: string): ServerProcess {
  // vsftpd writes its start-up errors ("500 OOPS: ...") to fd 0, so stdin is the log file too.
  const output = openSync(outputFile, 'a');
  const child = (() => {
    try {
      return spawn(binary, args, { stdio: [output, output, output], detached: true });
    } finally {
      closeSync(output);
    }
  })();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${binary}`);

  let exitInfo: ProcessExit | undefined;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.once('error', () => {
      exitInfo = { code: null, signal: null };
      resolve(exitInfo);
    });
  });
  const forget = onProcessExit(() => killGroup(pid, 'SIGKILL'));

  return {
    pid,
    exited,
    hasExited: () => exitInfo !== undefined,
    async stop(graceMs = 3000) {
      killGroup(pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([exited, timeout]);
      clearTimeout(timer);
      // Sweeps session processes left in the group as well as a server that ignored SIGTERM.
      killGroup(pid, 'SIGKILL');
      await exited;
      forget();
    },
  };
}
