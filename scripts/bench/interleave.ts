/**
 * Running several contenders on the same work, interleaved: run 1 goes A B C, run 2 C B A,
 * and so on, so a slow minute on the shared machine hits every tool alike. Each run starts on a
 * fresh target (`prepare`) and is checked (`check`) before its numbers count.
 */
import { sleep, summarize, type Measurement, type Summary } from './measure';

export interface Contender {
  name: string;
  /** Runs the work once and measures it; `run` is 0-based. */
  measure(run: number): Promise<Measurement>;
  /** Before each run, not timed (fresh target folders, removed uploads). */
  prepare?(run: number): Promise<void> | void;
  /** After each run, not timed: throws when the work was not done completely. */
  check?(run: number): Promise<void> | void;
}

export interface Pace {
  runs: number;
  /** Pause between two measured commands (proftpd's master sleeps ~0.4 s after a session ends). */
  pauseMs: number;
  /** Before each run, after the pause: waits until the server is idle again (no session left). */
  settle?: () => Promise<unknown>;
  /** Throw at the first failed run (--quick, CI) instead of counting it. */
  failFast?: boolean;
}

/**
 * Summaries by contender name. A run that fails (the command, or its check) throws at once with
 * `failFast` (--quick, CI); otherwise it is counted in `failures` (with why) and the summary is
 * of the runs that worked, so one server hiccup late in a 20-minute run is reported, not fatal.
 */
export async function interleave(
  contenders: readonly Contender[],
  pace: Pace,
  onRun?: (name: string, m: Measurement) => void,
): Promise<Map<string, Summary>> {
  const results = new Map<string, Measurement[]>(contenders.map((c) => [c.name, []]));
  const failures = new Map<string, string[]>(contenders.map((c) => [c.name, []]));
  for (let run = 0; run < pace.runs; run++) {
    const order = run % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      await contender.prepare?.(run);
      await pace.settle?.();
      await sleep(pace.pauseMs);
      try {
        const measured = await contender.measure(run);
        await contender.check?.(run);
        results.get(contender.name)?.push(measured);
        onRun?.(contender.name, measured);
      } catch (error) {
        if (pace.failFast) throw error;
        failures
          .get(contender.name)
          ?.push(`run ${run + 1}: ${(error as Error).message.split('\n').slice(0, 2).join(' ')}`);
      }
    }
  }
  return new Map(
    [...results].map(([name, runs]) => {
      const failed = failures.get(name) ?? [];
      if (runs.length === 0) throw new Error(`${name}: every run failed; ${failed.join('; ')}`);
      return [name, { ...summarize(runs), failures: failed }];
    }),
  );
}
