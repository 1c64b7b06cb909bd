/**
 * `npm run bench -- <name>`: benchmarks, written to BENCHMARKS.md (each between its own
 * markers, so one run updates one section). Never timed unit tests.
 *   resolve:  10,000 profiles against 20 policy files, on one core.
 *   transfer: 1 GiB get and put against vsftpd, ftpsctl next to curl and lftp in one run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchResolve } from './bench/resolve-bench';
import { benchTransfer } from './bench/transfer-bench';

const root = path.resolve(__dirname, '..', '..');
const benchmarksFile = path.join(root, 'BENCHMARKS.md');

function writeSection(name: string, body: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const current = existsSync(benchmarksFile) ? readFileSync(benchmarksFile, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench -- <name>`; each section is replaced by its own run.\n';
  const stamped = `${start}\n## ${name}\n\nMeasured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- ${name}\`.\n\n${body}\n${end}`;
  const next = current.includes(start) ? current.slice(0, current.indexOf(start)) + stamped + current.slice(current.indexOf(end) + end.length) : `${current.trimEnd()}\n\n${stamped}\n`;
  writeFileSync(benchmarksFile, next);
}

const benches: Record<string, () => string | Promise<string>> = { resolve: benchResolve, transfer: benchTransfer };

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !benches[name]) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(benches).join('|')}>\n`);
    process.exit(2);
  }
  const body = await benches[name]();
  writeSection(name, body);
  process.stdout.write(`${body}\n\nwritten to BENCHMARKS.md\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exit(1);
});
