/**
 * `check` section: connect, AUTH TLS, login, PBSZ/PROT, one listing of the login folder, QUIT.
 * ftpsctl `session check` (which lists once to report data-channel resumption) next to curl
 * listing the same folder, on each server, interleaved. Target: ftpsctl ≤ curl + 150 ms.
 */
import path from 'node:path';
import { cli, failureNote, node, type BenchContext } from './bench-context';
import { CURL, curlBase, writeLogins, writeProfile } from './bench-environment';
import { interleave, type Contender } from './interleave';
import { timed, waitForNoSessions, type Summary } from './measure';
import { serverColumn } from './report-columns';

export async function benchCheck(context: BenchContext): Promise<string> {
  const rows: string[] = [];
  const notes: string[] = [];
  for (const bench of context.servers) {
    const { server } = bench;
    const base = path.join(context.dir, `check-${bench.kind}`);
    const logins = writeLogins(path.join(base, 'login'), server);
    const profile = writeProfile(path.join(base, 'profile.json'), server, context.pki, logins);
    const timedWith = (command: string, args: string[]) => timed(command, args, { serverPid: bench.pid });
    const contenders: Contender[] = [
      {
        name: 'ftpsctl session check',
        measure: () => timedWith(node, [cli, 'session', 'check', profile, '--policies', logins.emptyPolicies]),
      },
      {
        name: 'curl (list the login folder)',
        measure: () =>
          timedWith(CURL, [...curlBase(context.pki, logins), '-o', '/dev/null', `ftp://127.0.0.1:${server.port}/`]),
      },
    ];
    context.progress(`check: ${bench.kind}`);
    const results = await interleave(
      contenders,
      {
        runs: context.quick ? 1 : Math.max(context.pace.runs, 5) * 2,
        pauseMs: context.pace.pauseMs,
        settle: () => waitForNoSessions(bench.pid),
        ...(context.pace.failFast ? { failFast: true } : {}),
      },
      (name, m) => context.progress(`  ${name}: ${(m.seconds * 1000).toFixed(0)} ms`),
    );
    const ours = results.get(contenders[0].name) as Summary;
    const curl = results.get(contenders[1].name) as Summary;
    for (const contender of contenders) {
      const r = results.get(contender.name) as Summary;
      const versus =
        r === ours
          ? `${((ours.wall - curl.wall) * 1000).toFixed(0)} ms over curl (target ≤ 150 ms: ${ours.wall - curl.wall <= 0.15 ? 'met' : 'NOT met'})`
          : '';
      rows.push(
        `| ${bench.kind} | ${contender.name} | ${r.wallText}${failureNote(`${bench.kind}, ${contender.name}`, r, notes)} | ${r.cpu.toFixed(2)} s | ${serverColumn(r)} | ${r.rssMiB.toFixed(0)} MiB | ${r.load.toFixed(1)} | ${versus} |`,
      );
    }
  }
  return [
    `Connect, AUTH TLS, login, PBSZ 0 / PROT P, FEAT, one listing of the login folder over a PROT P data connection, QUIT; twice the usual number of interleaved runs (the command is short). Wall: median (fastest–slowest) of the whole command, Node start-up included for ftpsctl. Client CPU: user + system (GNU time).`,
    '',
    '```',
    'node bin/run.js session check <profile> --policies <empty-dir>',
    'curl --ssl-reqd --cacert <ca> --netrc-file <netrc> -sS --fail -o /dev/null ftp://127.0.0.1:<port>/',
    '```',
    '',
    '| server | tool | wall | client CPU | server CPU (busiest) | peak RSS | load | vs curl |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    ...(notes.length > 0 ? ['', 'Failed runs (not in the medians):', '', ...notes] : []),
  ].join('\n');
}
