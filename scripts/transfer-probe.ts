/**
 * One transfer in a process of its own, so its peak memory can be read: the 1 GiB
 * integration test and `npm run bench -- transfer` run it. The job (settings and the
 * password) arrives on stdin, never in argv; the result is one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { openSession } from '../src/engine/ftps-session';
import type { EngineSettings } from '../src/engine/engine-settings';

interface ProbeJob {
  settings: EngineSettings;
  password: string;
  direction: 'get' | 'put';
  remote: string;
  local: string;
  sha256: boolean;
}

/**
 * This process's own peak RSS in bytes. On Linux, getrusage's maxRSS of a forked-and-exec'd
 * child starts at the parent's RSS at fork (the kernel keeps the old high-water mark across
 * execve), so a probe started by a 190 MB jest worker would report 190 MB however little it
 * used; VmHWM in /proc/self/status is the peak of this address space alone.
 */
function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]) * 1024;
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const job = JSON.parse(await readStdin()) as ProbeJob;
  const session = await openSession(job.settings, { password: job.password });
  const started = process.hrtime.bigint();
  const result =
    job.direction === 'get'
      ? await session.get(job.remote, job.local, { sha256: job.sha256 })
      : await session.put(job.local, job.remote, { sha256: job.sha256 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const tls = session.tlsInfo();
  await session.close();
  process.stdout.write(
    `${JSON.stringify({ ...result, seconds, maxRssBytes: peakRssBytes(), tls: tls ? { version: tls.version, cipher: tls.cipher, resumed: tls.dataConnectionsResumed } : undefined })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`transfer-probe: ${(error as Error).message}\n`);
  process.exit(1);
});
