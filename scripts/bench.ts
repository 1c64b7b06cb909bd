/**
 * `npm run bench [-- <section>...] [-- --quick]`: benchmarks on the real servers, ftpsctl next
 * to curl and lftp in the same run, written to BENCHMARKS.md (each section between its own
 * markers, so a run of one section replaces only that section). Never timed unit tests.
 *   startup:  `ftpsctl --version` against `node -e 0`.
 *   resolve:  10,000 profiles against 20 policy files, on one core.
 *   check:    `session check` against curl listing the login folder, on each server.
 *   mirror:   200 × 4 KiB down and up at 1 and 4 connections against lftp, on each server.
 *   transfer: 1 GiB get and put (SHA-256 for the audit) against curl and lftp, on each server.
 * `--quick` runs a small version of every section (one run each), prints the tables and writes
 * nothing: CI uses it to keep the benchmark working (with CI set, a full run must name its
 * BENCH_OUTPUT: BENCHMARKS.md is never written in CI). A missing tool or server fails the run
 * (exit 1) with what to install; it is never skipped.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchContext } from './bench/bench-context';
import {
  createBenchPki,
  describeMachine,
  requireTools,
  SERVER_KINDS,
  startBenchServer,
  type BenchServer,
} from './bench/bench-environment';
import { benchCheck } from './bench/check-bench';
import { benchMirror } from './bench/mirror-bench';
import { benchResolve } from './bench/resolve-bench';
import { benchStartup } from './bench/startup-bench';
import { benchTransfer } from './bench/transfer-bench';

const root = path.resolve(__dirname, '..', '..');
/** BENCH_OUTPUT: another file to write (e.g. when the benchmark runs from a copy of the build). */
const benchmarksFile = process.env.BENCH_OUTPUT ?? path.join(root, 'BENCHMARKS.md');

type Section = { needsServers: boolean; run: (context: BenchContext) => string | Promise<string> };

const sections: Record<string, Section> = {
  startup: { needsServers: false, run: benchStartup },
  resolve: { needsServers: false, run: (context) => (context.quick ? benchResolve(2_000, 1) : benchResolve()) },
  check: { needsServers: true, run: benchCheck },
  mirror: { needsServers: true, run: benchMirror },
  transfer: { needsServers: true, run: benchTransfer },
};

function writeSection(name: string, command: string, body: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const current = existsSync(benchmarksFile)
    ? readFileSync(benchmarksFile, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench`; each section is replaced by its own run.\n';
  const stamped = `${start}\n## ${name}\n\nMeasured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\`.\n\n${body}\n${end}`;
  const next = current.includes(start)
    ? current.slice(0, current.indexOf(start)) + stamped + current.slice(current.indexOf(end) + end.length)
    : `${current.trimEnd()}\n\n${stamped}\n`;
  writeFileSync(benchmarksFile, next);
}

function usage(message: string): never {
  process.stderr.write(
    `bench: ${message}\nusage: npm run bench [-- [--quick] [${Object.keys(sections).join('|')}]...]\n`,
  );
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const unknownFlag = args.find((a) => a.startsWith('-') && a !== '--quick');
  if (unknownFlag) usage(`unknown option ${unknownFlag}`);
  const names = args.filter((a) => !a.startsWith('-'));
  for (const name of names) if (!sections[name]) usage(`unknown section ${name}`);
  // CI keeps the benchmark working with --quick; a full run there would rewrite BENCHMARKS.md.
  if (process.env.CI && !quick && !process.env.BENCH_OUTPUT)
    usage('CI is set: run with --quick, or set BENCH_OUTPUT=<file> to write a full run somewhere else');
  const chosen = names.length > 0 ? names : Object.keys(sections);
  const needsServers = chosen.some((name) => sections[name].needsServers);
  if (needsServers) requireTools(SERVER_KINDS);

  // tmpfs keeps the disk out of the numbers (1 GiB files, written many times); servers' folders too.
  const scratchParent = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  process.env.TMPDIR = scratchParent;
  const dir = mkdtempSync(path.join(scratchParent, 'ftpsctl-bench-'));
  const servers: BenchServer[] = [];
  const progress = (line: string): void =>
    void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  const command = `npm run bench${quick ? ' -- --quick' : ''}${names.length > 0 ? `${quick ? '' : ' --'} ${names.join(' ')}` : ''}`;
  try {
    const machine = describeMachine();
    const pki = await createBenchPki(dir);
    if (needsServers) for (const kind of SERVER_KINDS) servers.push(await startBenchServer(kind, pki));
    const setup = servers.map((s) => `- ${s.kind}: ${s.setup}.`).join('\n');
    const context: BenchContext = {
      quick,
      pace: { runs: quick ? 1 : 5, pauseMs: 500, failFast: quick },
      dir,
      pki,
      servers,
      progress,
    };
    for (const name of chosen) {
      const section = sections[name];
      const body = await section.run(context);
      const full = `${machine}\n${section.needsServers ? `${setup}\n` : ''}- Every measured command runs as \`/usr/bin/time -f "%e %U %S %M" <command>\` (wall, user, system, peak RSS of the child).\n\n${body}`;
      process.stdout.write(`\n## ${name}${quick ? ' (quick)' : ''}\n\n${full}\n`);
      if (!quick) writeSection(name, command, full);
    }
    process.stdout.write(
      quick ? '\nquick run: every section worked; nothing written\n' : '\nwritten to BENCHMARKS.md\n',
    );
  } finally {
    for (const bench of servers) await bench.server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(1);
});
