/**
 * `mirror` section: a tree of small files (200 × 4 KiB; 20 with --quick) mirrored down and up
 * through PROT P at 1 and 4 connections, ftpsctl `session mirror` (transfer.parallel 1 / 4)
 * next to lftp `mirror` / `mirror --parallel=4`, on each server, interleaved.
 */
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli, failureNote, node, ratio, type BenchContext } from './bench-context';
import { lftpScript, LFTP, writeLogins, writeProfile, type BenchServer } from './bench-environment';
import { interleave, type Contender } from './interleave';
import { timed, waitForNoSessions } from './measure';
import { serverColumn } from './report-columns';

const FILE_BYTES = 4096;

function makeTree(dir: string, count: number, owner?: { uid: number; gid: number }): void {
  mkdirSync(dir, { recursive: true });
  if (owner) chownSync(dir, owner.uid, owner.gid);
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `file-${String(i).padStart(3, '0')}.bin`);
    writeFileSync(file, randomBytes(FILE_BYTES));
    if (owner) chownSync(file, owner.uid, owner.gid);
  }
}

function expectFiles(dir: string, count: number, what: string): void {
  let found: string[];
  try {
    found = readdirSync(dir).filter((name) => name.endsWith('.bin'));
  } catch {
    found = [];
  }
  if (found.length !== count) throw new Error(`${what}: ${found.length} of ${count} files arrived in ${dir}`);
}

interface MirrorRow {
  work: string;
  contenders: Contender[];
  /** [ours, peer] pairs to compare, with the target ratio (peer wall / our wall). */
  pairs: Array<{ ours: string; peer: string; target: number }>;
}

async function benchOneServer(
  context: BenchContext,
  bench: BenchServer,
  files: number,
  notes: string[],
): Promise<string[]> {
  const { server } = bench;
  const base = path.join(context.dir, `mirror-${bench.kind}`);
  const logins = writeLogins(path.join(base, 'login'), server);
  const auditLog = path.join(base, 'audit.jsonl');
  makeTree(path.join(server.root, 'tree'), files, bench);
  const localSource = path.join(base, 'up-source');
  makeTree(localSource, files);
  const profiles = [1, 4].map((parallel) =>
    writeProfile(path.join(base, `profile-${parallel}.json`), server, context.pki, logins, { transfer: { parallel } }),
  );
  const scripts = path.join(base, 'scripts');
  mkdirSync(scripts, { recursive: true });
  const down = (name: string) => path.join(base, `down-${name.replace(/\W+/g, '-')}`);
  const upRemote = (name: string, run: number) => `up-${name.replace(/\W+/g, '-')}-${run}`;
  const measure = (command: string, args: string[]) => timed(command, args, { serverPid: bench.pid });

  const ftpsctlDown = (parallel: 1 | 4): Contender => {
    const name = `ftpsctl session mirror, transfer.parallel ${parallel}`;
    return {
      name,
      prepare: () => rmSync(down(name), { recursive: true, force: true }),
      measure: () =>
        measure(node, [
          cli,
          'session',
          'mirror',
          profiles[parallel === 1 ? 0 : 1],
          'tree',
          down(name),
          '--policies',
          logins.emptyPolicies,
          '--audit-log',
          auditLog,
        ]),
      check: () => expectFiles(down(name), files, name),
    };
  };
  const lftpDown = (parallel: 1 | 4): Contender => {
    const name = parallel === 1 ? 'lftp mirror' : 'lftp mirror --parallel=4';
    return {
      name,
      prepare: () => rmSync(down(name), { recursive: true, force: true }),
      measure: () =>
        measure(LFTP, [
          '-f',
          lftpScript(path.join(scripts, `down-${parallel}`), server, context.pki, [
            `mirror ${parallel === 4 ? '--parallel=4 ' : ''}tree ${down(name)}`,
          ]),
        ]),
      check: () => expectFiles(down(name), files, name),
    };
  };
  const ftpsctlUp = (parallel: 1 | 4): Contender => {
    const name = `ftpsctl session mirror --reverse, transfer.parallel ${parallel}`;
    return {
      name,
      measure: (run) =>
        measure(node, [
          cli,
          'session',
          'mirror',
          '--reverse',
          profiles[parallel === 1 ? 0 : 1],
          upRemote(name, run),
          localSource,
          '--policies',
          logins.emptyPolicies,
          '--audit-log',
          auditLog,
        ]),
      check: (run) => {
        expectFiles(path.join(server.root, upRemote(name, run)), files, name);
        rmSync(path.join(server.root, upRemote(name, run)), { recursive: true, force: true });
      },
    };
  };
  const lftpUp = (parallel: 1 | 4): Contender => {
    const name = parallel === 1 ? 'lftp mirror -R' : 'lftp mirror -R --parallel=4';
    return {
      name,
      measure: (run) =>
        measure(LFTP, [
          '-f',
          lftpScript(path.join(scripts, `up-${parallel}-${run}`), server, context.pki, [
            `mirror -R ${parallel === 4 ? '--parallel=4 ' : ''}${localSource} ${upRemote(name, run)}`,
          ]),
        ]),
      check: (run) => {
        expectFiles(path.join(server.root, upRemote(name, run)), files, name);
        rmSync(path.join(server.root, upRemote(name, run)), { recursive: true, force: true });
      },
    };
  };
  const rows: MirrorRow[] = [
    {
      work: `${files} × 4 KiB down`,
      contenders: [ftpsctlDown(1), lftpDown(1), ftpsctlDown(4), lftpDown(4)],
      pairs: [
        { ours: ftpsctlDown(1).name, peer: lftpDown(1).name, target: 4 },
        { ours: ftpsctlDown(4).name, peer: lftpDown(4).name, target: 2 },
      ],
    },
    {
      work: `${files} × 4 KiB up`,
      contenders: [ftpsctlUp(1), lftpUp(1), ftpsctlUp(4), lftpUp(4)],
      pairs: [
        { ours: ftpsctlUp(1).name, peer: lftpUp(1).name, target: 4 },
        { ours: ftpsctlUp(4).name, peer: lftpUp(4).name, target: 2 },
      ],
    },
  ];
  const lines: string[] = [];
  for (const row of rows) {
    context.progress(`mirror: ${bench.kind}, ${row.work}`);
    const results = await interleave(
      row.contenders,
      { ...context.pace, settle: () => waitForNoSessions(bench.pid) },
      (name, m) => context.progress(`  ${name}: ${m.seconds.toFixed(2)} s`),
    );
    for (const contender of row.contenders) {
      const r = results.get(contender.name);
      if (!r) continue;
      const pair = row.pairs.find((p) => p.ours === contender.name);
      const peer = pair ? results.get(pair.peer) : undefined;
      const versus =
        pair && peer
          ? `${ratio(peer.wall, r.wall)} ${pair.peer} (target ≥ ${pair.target}×: ${peer.wall / r.wall >= pair.target ? 'met' : 'NOT met'})`
          : '';
      lines.push(
        `| ${bench.kind} | ${row.work} | ${contender.name} | ${r.wallText}${failureNote(`${bench.kind}, ${row.work}, ${contender.name}`, r, notes)} | ${r.cpu.toFixed(2)} s | ${serverColumn(r)} | ${r.rssMiB.toFixed(0)} MiB | ${r.load.toFixed(1)} | ${versus} |`,
      );
    }
  }
  rmSync(path.join(server.root, 'tree'), { recursive: true, force: true });
  return lines;
}

export async function benchMirror(context: BenchContext): Promise<string> {
  const files = context.quick ? 20 : 200;
  const rows: string[] = [];
  const notes: string[] = [];
  for (const bench of context.servers) rows.push(...(await benchOneServer(context, bench, files, notes)));
  return [
    `${files} files of 4 KiB, PROT P (TLS 1.3), mirrored down (remote \`tree\` → a fresh local folder) and up (a local folder → a new remote folder), ${context.pace.runs} interleaved run(s) per tool, ${context.pace.pauseMs} ms pause before each (proftpd's master sleeps ~0.4 s after a session ends). Wall time of the whole command: median (fastest–slowest). Client CPU: user + system of the client process (GNU time), median. Server CPU: all server processes during the run, polled from /proc every 50 ms, ended sessions from their parent's cutime/cstime (busiest single process in brackets; a session process is one core at most, so busiest ≈ wall means the server was the limit). ftpsctl writes an audit log (\`--audit-log\`) with each file's SHA-256, as admins run it; lftp verifies nothing.`,
    '',
    'Commands (per server; `<profile>`: host, port, user, `password.file`, `tls.serverName` localhost, `tls.pki.caFile` the test CA, system trust store on (the default), `transfer.parallel` 1 or 4; every other setting at its default; `<script>`: `set ssl:ca-file <ca>`, `set ftp:ssl-force yes`, `set ftp:ssl-protect-data yes`, `set ssl:check-hostname no`, `set net:max-retries 1`, `set cmd:fail-exit yes`, `open -u <user>,<password> ftp://127.0.0.1:<port>`, the mirror command, `bye`):',
    '',
    '```',
    'node bin/run.js session mirror <profile> tree <fresh-dir> --policies <empty-dir> --audit-log <file>',
    'node bin/run.js session mirror --reverse <profile> up-<tool>-<run> <local-tree> --policies <empty-dir> --audit-log <file>',
    'lftp -f <script>   # mirror tree <fresh-dir> | mirror --parallel=4 tree <fresh-dir> | mirror -R [--parallel=4] <local-tree> up-<tool>-<run>',
    '```',
    '',
    '| server | work | tool | wall | client CPU | server CPU (busiest) | peak RSS | load | vs peer |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    ...(notes.length > 0 ? ['', 'Failed runs (not in the medians):', '', ...notes] : []),
  ].join('\n');
}
