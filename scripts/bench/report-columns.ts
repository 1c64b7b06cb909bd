/** Table cells the sections share. */
import type { Summary } from './measure';

/** "0.84 s (0.80)": CPU of all server processes during the run, and of the busiest one. */
export function serverColumn(summary: Summary): string {
  if (summary.serverCpu === undefined) return '-';
  return `${summary.serverCpu.toFixed(2)} s (${(summary.serverBusiest ?? 0).toFixed(2)})`;
}
