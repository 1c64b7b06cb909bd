/**
 * Runs the built ftpsctl (bin/run.js, as users do) in a child process and reports its exit
 * code, output and peak memory as the child measured it (process.resourceUsage().maxRSS,
 * via measure-cli-preload.js). Resource tests assert bounds on these, never on wall-clock
 * time inside the test process; `timeoutMs` only stops a child that hangs (then `hung`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binary, repoRoot } from '../helpers/run-cli';

export interface MeasuredRun {
  code: number;
  stdout: string;
  stderr: string;
  /**
   * Peak resident set size of the child's own memory, in MiB: VmHWM on Linux, else
   * process.resourceUsage().maxRSS (which on Linux also counts the parent's RSS at fork:
   * see measure-cli-preload.js).
   */
  maxRssMiB: number;
  /** process.resourceUsage().maxRSS as the child reported it, in MiB (an upper bound). */
  resourceUsageMaxRssMiB: number;
  /** User + system CPU of the child, in ms (reported, for RELIABILITY.md; not asserted). */
  cpuMs: number;
  /** The child was killed by `timeoutMs`. */
  hung: boolean;
}

export function measureCli(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<MeasuredRun> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'ftpsctl-measure-'));
  const report = path.join(scratch, 'usage.json');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--require', path.join(__dirname, 'measure-cli-preload.js'), binary, ...args],
      {
        cwd: options.cwd ?? repoRoot,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', FTPSCTL_MEASURE_FILE: report, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const hung = error !== null && (error as { killed?: boolean }).killed === true;
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        let usage: { maxRssKiB: number; vmHwmKiB?: number; userCpuUs: number; systemCpuUs: number } = {
          maxRssKiB: -1,
          userCpuUs: 0,
          systemCpuUs: 0,
        };
        try {
          usage = JSON.parse(readFileSync(report, 'utf8')) as typeof usage;
        } catch {
          // killed before exit: no report
        }
        rmSync(scratch, { recursive: true, force: true });
        const peakKiB = usage.vmHwmKiB ?? usage.maxRssKiB;
        resolve({
          code,
          stdout,
          stderr,
          hung,
          maxRssMiB: Math.round(peakKiB / 1024),
          resourceUsageMaxRssMiB: Math.round(usage.maxRssKiB / 1024),
          cpuMs: Math.round((usage.userCpuUs + usage.systemCpuUs) / 1000),
        });
      },
    );
  });
}
