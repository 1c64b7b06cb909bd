/**
 * One proxy child process, as real-servers/server-process.ts starts servers (argv array, own
 * process group, output appended to a log file), with two differences: the child handle is
 * unref'd, so a test that forgets `stop()` cannot keep jest from exiting; and cleanup at exit
 * is done by an exit watchdog (see exit-watchdog.ts), which also removes `leftovers`.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { onProcessExit } from '../real-servers/exit-cleanup';
import { startExitWatchdog } from './exit-watchdog';
import type { ProcessExit, ServerProcess } from '../real-servers/server-process';

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** `leftovers`: files and folders the watchdog removes if the test process ends first. */
export function spawnProxy(binary: string, args: readonly string[], outputFile: string, leftovers: readonly string[]): ServerProcess {
  const output = openSync(outputFile, 'a');
  const child = (() => {
    try {
      return spawn(binary, args, { stdio: ['ignore', output, output], detached: true });
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
  const watchdog = startExitWatchdog(pid, leftovers);
  // Outside jest (benchmarks, scripts) the 'exit' event does fire and is quicker.
  const forget = onProcessExit(() => killGroup(pid, 'SIGKILL'));

  return {
    pid,
    exited,
    hasExited: () => exitInfo !== undefined,
    async stop(graceMs = 3000) {
      killGroup(pid, 'SIGTERM');
      // This timer keeps the event loop (and so the 'exit' event of the unref'd child) alive.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
      await Promise.race([exited, timeout]);
      clearTimeout(timer);
      // Sweeps helpers and children left in the group (basic_ncsa_auth, dante's children).
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
