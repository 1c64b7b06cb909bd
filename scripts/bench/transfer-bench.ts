/**
 * `transfer` section: one big file (1 GiB; 16 MiB with --quick) got and put with PROT P on each
 * server, ftpsctl `session get`/`session put` (the CLI as admins run it: SHA-256 of every byte
 * for the audit event, an audit log, size verification) next to curl and lftp, interleaved.
 * Reports wall time, client CPU per GiB, peak RSS, and the server's CPU (is it the limit?).
 */
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { cli, failureNote, node, perGiB, ratio, type BenchContext } from './bench-context';
import { CURL, curlBase, lftpScript, LFTP, writeLogins, writeProfile, type BenchServer } from './bench-environment';
import { interleave, type Contender } from './interleave';
import { timed, waitForNoSessions, type Summary } from './measure';
import { serverColumn } from './report-columns';

function writeRandomFile(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  const chunk = 8 * 1024 * 1024;
  for (let written = 0; written < bytes; written += chunk) writeSync(fd, randomBytes(Math.min(chunk, bytes - written)));
  closeSync(fd);
}

function expectSize(file: string, size: number, what: string): void {
  let actual = -1;
  try {
    actual = statSync(file).size;
  } catch {
    // reported below
  }
  if (actual !== size)
    throw new Error(`${what}: ${file} has ${actual < 0 ? 'no file' : `${actual} bytes`}, expected ${size}`);
}

/** The audit log must carry the transfer's SHA-256 (the benchmark measures the work admins get); then it is removed. */
function expectAuditedSha256(auditLog: string, remote: string): void {
  const lines = readFileSync(auditLog, 'utf8').trim().split('\n');
  const audited = lines.some((line) => line.includes(remote) && /"sha256":"[0-9a-f]{64}"/.test(line));
  if (!audited) throw new Error(`ftpsctl: no audit event with a SHA-256 for ${remote} in ${auditLog}`);
  rmSync(auditLog); // the next run's event is looked for in a fresh log
}

const CONTENDERS = ['ftpsctl session get/put (audit SHA-256)', 'curl --ssl-reqd', 'lftp get/put'] as const;

async function benchOneServer(
  context: BenchContext,
  bench: BenchServer,
  size: number,
  notes: string[],
): Promise<string[]> {
  const { server } = bench;
  const base = path.join(context.dir, `transfer-${bench.kind}`);
  mkdirSync(base, { recursive: true });
  const logins = writeLogins(path.join(base, 'login'), server);
  const auditLog = path.join(base, 'audit.jsonl');
  const profile = writeProfile(path.join(base, 'profile.json'), server, context.pki, logins);
  const source = path.join(context.dir, 'big.bin');
  const remoteSource = path.join(server.root, 'big.bin');
  copyFileSync(source, remoteSource);
  chownSync(remoteSource, bench.uid, bench.gid);
  const scripts = path.join(base, 'scripts');
  mkdirSync(scripts, { recursive: true });
  const url = `ftp://127.0.0.1:${server.port}`;
  const measure = (command: string, args: string[]) => timed(command, args, { serverPid: bench.pid });
  const local = (i: number) => path.join(base, `down-${i}.bin`);
  const remotePut = (i: number, run: number) => `put-${i}-${run}.bin`;

  const get: Contender[] = [
    {
      name: CONTENDERS[0],
      measure: () =>
        measure(node, [
          cli,
          'session',
          'get',
          profile,
          'big.bin',
          local(0),
          '--policies',
          logins.emptyPolicies,
          '--audit-log',
          auditLog,
        ]),
      check: () => (
        expectSize(local(0), size, 'ftpsctl get'),
        expectAuditedSha256(auditLog, 'big.bin'),
        rmSync(local(0))
      ),
    },
    {
      name: CONTENDERS[1],
      measure: () => measure(CURL, [...curlBase(context.pki, logins), '-o', local(1), `${url}/big.bin`]),
      check: () => (expectSize(local(1), size, 'curl get'), rmSync(local(1))),
    },
    {
      name: CONTENDERS[2],
      measure: () =>
        measure(LFTP, [
          '-f',
          lftpScript(path.join(scripts, 'get'), server, context.pki, [`get big.bin -o ${local(2)}`]),
        ]),
      check: () => (expectSize(local(2), size, 'lftp get'), rmSync(local(2))),
    },
  ];
  const putChecked = (i: number, what: string) => (run: number) => {
    const uploaded = path.join(server.root, remotePut(i, run));
    expectSize(uploaded, size, what);
    if (i === 0) expectAuditedSha256(auditLog, remotePut(i, run));
    rmSync(uploaded);
  };
  const put: Contender[] = [
    {
      name: CONTENDERS[0],
      measure: (run) =>
        measure(node, [
          cli,
          'session',
          'put',
          profile,
          source,
          remotePut(0, run),
          '--policies',
          logins.emptyPolicies,
          '--audit-log',
          auditLog,
        ]),
      check: putChecked(0, 'ftpsctl put'),
    },
    {
      name: CONTENDERS[1],
      measure: (run) => measure(CURL, [...curlBase(context.pki, logins), '-T', source, `${url}/${remotePut(1, run)}`]),
      check: putChecked(1, 'curl put'),
    },
    {
      name: CONTENDERS[2],
      measure: (run) =>
        measure(LFTP, [
          '-f',
          lftpScript(path.join(scripts, `put-${run}`), server, context.pki, [`put ${source} -o ${remotePut(2, run)}`]),
        ]),
      check: putChecked(2, 'lftp put'),
    },
  ];
  const lines: string[] = [];
  for (const [direction, contenders] of [
    ['get', get],
    ['put', put],
  ] as const) {
    context.progress(`transfer: ${bench.kind}, ${direction}`);
    const results = await interleave(
      contenders,
      { ...context.pace, settle: () => waitForNoSessions(bench.pid) },
      (name, m) =>
        context.progress(
          `  ${name}: ${m.seconds.toFixed(2)} s, CPU ${m.cpu.toFixed(2)} s, server ${m.serverCpu?.toFixed(2)} s`,
        ),
    );
    const curl = results.get(CONTENDERS[1]) as Summary;
    for (const contender of contenders) {
      const r = results.get(contender.name) as Summary;
      const serverBound = r.serverBusiest !== undefined && r.serverBusiest >= 0.85 * r.wall;
      const versus =
        contender.name === CONTENDERS[1]
          ? '1.00×'
          : `${ratio(curl.wall, r.wall)} wall, ${(r.cpu / curl.cpu).toFixed(1)}× CPU`;
      lines.push(
        `| ${bench.kind} | ${direction} | ${contender.name} | ${r.wallText}${failureNote(`${bench.kind}, ${direction}, ${contender.name}`, r, notes)} | ${(size / 1e6 / r.wall).toFixed(0)} MB/s | ${perGiB(r.cpu, size)} | ${r.rssMiB.toFixed(0)} MiB | ${serverColumn(r)}${serverBound ? ' server-bound' : ''} | ${r.load.toFixed(1)} | ${versus} |`,
      );
    }
  }
  rmSync(remoteSource, { force: true });
  return lines;
}

export async function benchTransfer(context: BenchContext): Promise<string> {
  const mebibytes = context.quick ? 16 : Number(process.env.BENCH_TRANSFER_MB ?? 1024);
  const size = mebibytes * 1024 * 1024;
  context.progress(`transfer: writing ${mebibytes} MiB of random data`);
  writeRandomFile(path.join(context.dir, 'big.bin'), size);
  const rows: string[] = [];
  const notes: string[] = [];
  try {
    for (const bench of context.servers) rows.push(...(await benchOneServer(context, bench, size, notes)));
  } finally {
    rmSync(path.join(context.dir, 'big.bin'), { force: true });
  }
  return [
    `One ${mebibytes} MiB file of random bytes, got and put with PROT P (TLS 1.3, explicit AUTH TLS), files on tmpfs (the page cache, no disk). ${context.pace.runs} interleaved run(s) per tool and direction. Wall: the whole command (start-up, login, transfer, QUIT), median (fastest–slowest). Client CPU per GiB: user + system of the client process (GNU time) / GiB moved. Server CPU: all server processes during the run, ended sessions from their parent's cutime/cstime (busiest single process in brackets); "server-bound" marks runs where the busiest server process was busy ≥ 85% of the wall time, so the client was not what limited them. ftpsctl hashes every byte (SHA-256 for the audit event, checked in the audit log after each run) and verifies the size; curl and lftp hash nothing.`,
    '',
    'Commands (`<profile>` as in the mirror section, transfer.parallel at its default; `<netrc>`: mode 0600; `<script>` as in the mirror section):',
    '',
    '```',
    'node bin/run.js session get <profile> big.bin <file> --policies <empty-dir> --audit-log <file>',
    'node bin/run.js session put <profile> <big-file> put-0-<run>.bin --policies <empty-dir> --audit-log <file>',
    'curl --ssl-reqd --cacert <ca> --netrc-file <netrc> -sS --fail -o <file> ftp://127.0.0.1:<port>/big.bin',
    'curl --ssl-reqd --cacert <ca> --netrc-file <netrc> -sS --fail -T <big-file> ftp://127.0.0.1:<port>/put-1-<run>.bin',
    'lftp -f <script>   # get big.bin -o <file> | put <big-file> -o put-2-<run>.bin',
    '```',
    '',
    '| server | direction | tool | wall | rate | client CPU s/GiB | peak RSS | server CPU (busiest) | load | vs curl |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    ...(notes.length > 0 ? ['', 'Failed runs (not in the medians):', '', ...notes] : []),
  ].join('\n');
}
