/**
 * One server or proxy child process: started with an argv array in its own process group
 * (so its session processes die with it), its output appended to a log file.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { onProcessExit } from './exit-cleanup';
import { startExitWatchdog } from './exit-watchdog';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServerProcess {
  readonly pid: number;
  /** Resolves when the main server process has exited. */
  readonly exited: Promise<ProcessExit>;
  hasExited(): boolean;
  /** SIGTERM to the group (or the leader, SpawnOptions.terminate), SIGKILL to the group after `graceMs`, then waits for the exit. */
  stop(graceMs?: number): Promise<void>;
}

/** `signal` to the process group led by `pid`, or (`leaderOnly`) to that process alone. */
function killGroup(pid: number, signal: NodeJS.Signals, leaderOnly = false): void {
  try {
    process.kill(leaderOnly ? pid : -pid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

export interface SpawnOptions {
  /** vsftpd writes its start-up errors ("500 OOPS: ...") to fd 0: 'log' makes stdin the log file too. */
  stdin: 'log' | 'ignore';
  /** Files and folders the exit watchdog removes if the test process ends without stop(). */
  leftovers?: readonly string[];
  /**
   * Who gets stop()'s SIGTERM: the whole `group` (default), or only the `leader`, for a server
   * that stops its own helpers: squid, seeing its auth helper die of the group's SIGTERM first,
   * aborts ("helpers are crashing too rapidly") instead of exiting normally. The SIGKILL sweep
   * after the exit always takes the group.
   */
  terminate?: 'group' | 'leader';
}

/**
 * The child handle is unref'd, so a test that forgets `stop()` cannot keep jest from
 * exiting, and an exit watchdog (exit-watchdog.ts) kills the group when the test process
 * ends: jest gives each test file its own `process`, so exit handlers alone never run there.
 */
export function spawnServer(
  binary: string,
  args: readonly string[],
  outputFile: string,
  options: SpawnOptions,
): ServerProcess {
  const output = openSync(outputFile, 'a');
  const child = (() => {
    try {
      return spawn(binary, args, {
        stdio: [options.stdin === 'log' ? output : 'ignore', output, output],
        detached: true,
      });
    } finally {
      closeSync(output);
    }
  })();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${binary}`);
  child.unref();

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
  const watchdog = startExitWatchdog(pid, options.leftovers ?? []);
  // Outside jest (benchmarks, scripts) the 'exit' event does fire and is quicker.
  const forget = onProcessExit(() => killGroup(pid, 'SIGKILL'));

  return {
    pid,
    exited,
    hasExited: () => exitInfo !== undefined,
    async stop(graceMs = 3000) {
      killGroup(pid, 'SIGTERM', options.terminate === 'leader');
      // This timer keeps the event loop (and so the 'exit' event of the unref'd child) alive.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([exited, timeout]);
      clearTimeout(timer);
      // Sweeps session processes and helpers left in the group, and a process that ignored SIGTERM.
      killGroup(pid, 'SIGKILL');
      const poll = setInterval(() => undefined, 50);
      try {
        await exited;
      } finally {
        clearInterval(poll);
      }
      forget();
      watchdog.cancel();
    },
  };
}
