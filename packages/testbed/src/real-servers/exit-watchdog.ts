/**
 * Cleanup at exit that works under jest: a small `sh` beside each server or proxy that waits for the
 * test process to end, then kills its process group and removes its files. Needed
 * because jest gives each test file its own copy of `process`, so `process.on('exit')`
 * handlers registered from a test never run; it also covers a test process killed outright.
 * `cancel()` (called by stop()) ends the watchdog once the process is stopped normally.
 */
import { spawn } from 'node:child_process';

// $1 test process, $2 proxy process group, $3... files and folders to remove.
const WATCH = [
  'owner="$1"; group="$2"; shift 2',
  'while kill -0 "$owner" 2>/dev/null; do sleep 0.5; done',
  // dash's kill takes no `--`; a negative pid after the signal names the group.
  'kill -KILL "-$group" 2>/dev/null',
  'rm -rf -- "$@"',
].join('\n');

export interface ExitWatchdog {
  cancel(): void;
}

export function startExitWatchdog(processGroup: number, leftovers: readonly string[]): ExitWatchdog {
  const watchdog = spawn(
    '/bin/sh',
    ['-c', WATCH, 'ftpsctl-proxy-watchdog', String(process.pid), String(processGroup), ...leftovers],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  watchdog.on('error', () => undefined);
  watchdog.unref();
  const pid = watchdog.pid;
  return {
    cancel() {
      if (pid === undefined) return;
      try {
        // Its own group: the `sleep` it may be waiting in goes too.
        process.kill(-pid, 'SIGKILL');
      } catch {
        // ESRCH: already gone.
      }
    },
  };
}
