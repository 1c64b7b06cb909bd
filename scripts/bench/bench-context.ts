/** What the sections of `npm run bench` share: mode, pace, the servers, the folders, the CLI. */
import path from 'node:path';
import type { TestPki } from '../../src/loopback/pki';
import type { BenchServer } from './bench-environment';
import type { Pace } from './interleave';

export interface BenchContext {
  /** `--quick`: a small version of every section (CI), nothing written to BENCHMARKS.md. */
  quick: boolean;
  pace: Pace;
  /** Scratch folder (tmpfs when available), removed at the end. */
  dir: string;
  pki: TestPki;
  servers: BenchServer[];
  /** Progress lines go here (stderr), so a long run shows it is alive. */
  progress(line: string): void;
}

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const cli = path.join(repoRoot, 'bin', 'run.js');
export const node = process.execPath;

/** Table cell text for failed runs, and the notes listed under the table. */
export function failureNote(name: string, summary: { failures?: string[] }, notes: string[]): string {
  if (!summary.failures || summary.failures.length === 0) return '';
  notes.push(...summary.failures.map((f) => `- ${name}, ${f}`));
  return ` (${summary.failures.length} run(s) failed, see below)`;
}

export function ratio(peer: number, ours: number): string {
  return `${(peer / ours).toFixed(2)}×`;
}

export function perGiB(seconds: number, bytes: number): string {
  return (seconds / (bytes / 2 ** 30)).toFixed(2);
}
