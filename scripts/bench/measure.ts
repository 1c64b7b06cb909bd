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

/** A process's CPU in ticks: its own (utime + stime) and its reaped children's (cutime + cstime). */
interface Ticks {
  own: number;
  reaped: number;
}

/** A process's ticks, or undefined when it is gone. */
function processTicks(pid: number): Ticks | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // Fields after the ")" that ends the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { own: Number(fields[11]) + Number(fields[12]), reaped: Number(fields[13]) + Number(fields[14]) };
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

const ZERO: Ticks = { own: 0, reaped: 0 };

/**
 * Polls a server's process tree every `intervalMs`. A session process that ends between two
 * polls (a 16 MiB transfer takes ~50 ms) is never seen, but its CPU is not lost: the kernel adds
 * a reaped child's CPU to its parent's cutime/cstime. So the total is, over the processes alive
 * at the end, own + reaped CPU at the end minus at first sight (0 for a process forked after the
 * start); a process that was alive at the start and ended is taken back out of its ancestor's
 * reaped CPU by what it had used before the start. The busiest process is the largest own CPU
 * seen, or the server's reaped CPU that no process seen accounts for (exact when the run had
 * one session, as the transfer runs do; a lower bound otherwise). A server that ignores SIGCHLD
 * (children reaped by the kernel, their CPU never in its cutime) gets the sum of what each
 * process was seen to use: a lower bound.
 */
export class ServerCpuWatch {
  private readonly first = new Map<number, Ticks>();
  private readonly last = new Map<number, Ticks>();
  private readonly parent = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly rootPid: number,
    intervalMs = 50,
  ) {
    this.poll(true);
    this.timer = setInterval(() => this.poll(false), intervalMs);
  }

  /** The pids alive now. */
  private poll(initial: boolean): Set<number> {
    const alive = new Set<number>();
    const pending = [this.rootPid];
    for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
      const ticks = processTicks(pid);
      if (ticks === undefined) continue;
      alive.add(pid);
      if (!this.first.has(pid)) this.first.set(pid, initial ? ticks : ZERO);
      this.last.set(pid, ticks);
      for (const child of childrenOf(pid)) {
        this.parent.set(child, pid);
        pending.push(child);
      }
    }
    return alive;
  }

  stop(): { total: number; busiest: number } {
    clearInterval(this.timer);
    const alive = this.poll(false);
    let total = 0;
    let busiest = 0;
    let seenReapedByRoot = 0;
    let seenOwn = 0;
    for (const [pid, last] of this.last) {
      const first = this.first.get(pid) ?? ZERO;
      busiest = Math.max(busiest, last.own - first.own);
      seenOwn += last.own - first.own;
      if (alive.has(pid)) total += last.own + last.reaped - (first.own + first.reaped);
      else {
        total -= first.own + first.reaped;
        if (this.parent.get(pid) === this.rootPid) seenReapedByRoot += last.own + last.reaped;
      }
    }
    const root = { first: this.first.get(this.rootPid) ?? ZERO, last: this.last.get(this.rootPid) ?? ZERO };
    busiest = Math.max(busiest, root.last.reaped - root.first.reaped - seenReapedByRoot);
    // A parent that ignores SIGCHLD has its children reaped by the kernel, and their CPU never
    // reaches its cutime: what was seen of each process is then the better (lower) bound.
    total = Math.max(total, seenOwn);
    return { total: total / TICKS_PER_SECOND, busiest: busiest / TICKS_PER_SECOND };
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
