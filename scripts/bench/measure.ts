/**
 * Measuring one command as a child process: wall time, the child's CPU (user + system, from
 * its rusage via GNU time, so every thread and waited-for child counts) and peak RSS; and the
 * CPU a server's processes used meanwhile, polled from /proc (the server shares the 2 cores,
 * so a benchmark has to show it was not the limit).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Measurement {
  /** Wall time of the whole command (start-up, login, work, QUIT), seconds. */
  seconds: number;
  /** Client CPU, user + system, seconds. */
  cpu: number;
  /** Peak resident set size of the client, MiB. */
  rssMiB: number;
  /** CPU seconds the server's processes used during the command (when a server was watched). */
  serverCpu?: number;
  /** CPU seconds of the busiest single server process (a session is one process, one core at most). */
  serverBusiest?: number;
  /** 1-minute load average just before the run. */
  load: number;
}

export interface RunOptions {
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** A server to watch (its main process id). */
  serverPid?: number;
}

const TIME = '/usr/bin/time';
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of one process, in ticks, or undefined when it is gone. */
function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the ")" that ends the command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Polls a server's process tree every `intervalMs`: each process's CPU is the last value seen
 * minus the value when first seen (0 for a process forked after the start). A process's last
 * <interval of life can be missed; that is noted with the results.
 */
export class ServerCpuWatch {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly rootPid: number,
    intervalMs = 50,
  ) {
    this.poll(true);
    this.timer = setInterval(() => this.poll(false), intervalMs);
  }

  private poll(initial: boolean): void {
    const pending = [this.rootPid];
    for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
      const ticks = processTicks(pid);
      if (ticks === undefined) continue;
      if (!this.first.has(pid)) this.first.set(pid, initial ? ticks : 0);
      this.last.set(pid, ticks);
      pending.push(...childrenOf(pid));
    }
  }

  stop(): { total: number; busiest: number } {
    clearInterval(this.timer);
    this.poll(false);
    let total = 0;
    let busiest = 0;
    for (const [pid, last] of this.last) {
      const used = (last - (this.first.get(pid) ?? 0)) / TICKS_PER_SECOND;
      total += used;
      busiest = Math.max(busiest, used);
    }
    return { total, busiest };
  }
}

/**
 * Waits until the server has no session processes left (a previous run's sessions may still
 * be closing; pure-ftpd refuses a 5th login of the same user with 421). Resolves false when
 * `timeoutMs` passed first.
 */
export async function waitForNoSessions(serverPid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (childrenOf(serverPid).length > 0) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'latin1').split(' ')[0]);
}

/** Runs `command` under GNU time; rejects (with the tail of its stderr) when it fails. */
export function timed(command: string, args: readonly string[], options: RunOptions = {}): Promise<Measurement> {
  const load = loadAverage();
  const watch = options.serverPid !== undefined ? new ServerCpuWatch(options.serverPid) : undefined;
  return new Promise((resolve, reject) => {
    const child = execFile(
      TIME,
      ['-f', 'BENCH %e %U %S %M', command, ...args],
      {
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, ...options.env },
        ...(options.cwd ? { cwd: options.cwd } : {}),
      },
      (error, _stdout, stderr) => {
        const server = watch?.stop();
        const match = /BENCH ([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(stderr);
        if (error || !match)
          return reject(new Error(`${command} ${args.slice(0, 4).join(' ')} failed: ${stderr.trim().slice(-800)}`));
        resolve({
          seconds: Number(match[1]),
          cpu: Number(match[2]) + Number(match[3]),
          rssMiB: Number(match[4]) / 1024,
          load,
          ...(server ? { serverCpu: server.total, serverBusiest: server.busiest } : {}),
        });
      },
    );
    // A command that exits without reading stdin makes this fail with EPIPE: its exit status tells.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "1.23 s (1.10–1.40)": median and the whole spread of the runs. */
export function describeSeconds(values: readonly number[], digits = 2): string {
  if (values.length === 1) return `${values[0].toFixed(digits)} s`;
  return `${median(values).toFixed(digits)} s (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
}

/** Summary of several runs of one tool on one piece of work. */
export interface Summary {
  wall: number;
  wallText: string;
  cpu: number;
  rssMiB: number;
  serverCpu?: number;
  serverBusiest?: number;
  load: number;
  /** Runs that failed (with why): the summary is of the others. */
  failures?: string[];
}

export function summarize(runs: readonly Measurement[]): Summary {
  const server = runs.filter((r) => r.serverCpu !== undefined);
  return {
    wall: median(runs.map((r) => r.seconds)),
    wallText: describeSeconds(runs.map((r) => r.seconds)),
    cpu: median(runs.map((r) => r.cpu)),
    rssMiB: Math.max(...runs.map((r) => r.rssMiB)),
    ...(server.length > 0
      ? {
          serverCpu: median(server.map((r) => r.serverCpu as number)),
          serverBusiest: median(server.map((r) => r.serverBusiest as number)),
        }
      : {}),
    load: median(runs.map((r) => r.load)),
  };
}
