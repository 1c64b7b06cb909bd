/**
 * What every transfer benchmark shares: the tools it compares (missing ones fail the run
 * loudly, never skip), the three real servers started by the testbed with one test PKI, the
 * files of mode 0600 that carry the password to each tool (never argv), and the machine
 * description written next to the numbers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import {
  findServer,
  INSTALL_HINT,
  serversDir,
  startProftpd,
  startPureFtpd,
  startVsftpd,
  type RealServer,
  type RealServerKind,
} from '../../packages/testbed/src/real-servers';

export const SERVER_KINDS: readonly RealServerKind[] = ['pure-ftpd', 'proftpd', 'vsftpd'];

export const CURL = '/usr/bin/curl';
export const LFTP = '/usr/bin/lftp';
export const GNU_TIME = '/usr/bin/time';
const SS = '/usr/bin/ss';

/** Throws one error naming every missing tool and how to get it. */
export function requireTools(kinds: readonly RealServerKind[] = SERVER_KINDS): void {
  const missing: string[] = [];
  for (const [file, hint] of [
    [CURL, 'apt-get install curl'],
    [LFTP, 'apt-get install lftp'],
    [GNU_TIME, 'apt-get install time (GNU time reads the child rusage)'],
    [SS, 'apt-get install iproute2 (finds the server process)'],
  ] as const) {
    if (!existsSync(file)) missing.push(`${file} (${hint})`);
  }
  for (const kind of kinds) if (!findServer(kind)) missing.push(`${kind} under ${serversDir()} (${INSTALL_HINT})`);
  if (missing.length > 0) throw new Error(`the benchmark needs tools that are missing:\n  ${missing.join('\n  ')}`);
}

/** The main process of the server listening on `port` (from `ss -ltnp`). */
export function listeningPid(port: number): number {
  const out = execFileSync(SS, ['-Hltnp', `sport = :${port}`], { encoding: 'utf8' });
  const match = /pid=(\d+)/.exec(out);
  if (!match)
    throw new Error(`no process found listening on 127.0.0.1:${port} (ss -ltnp said: ${out.trim() || 'nothing'})`);
  return Number(match[1]);
}

export interface BenchServer {
  kind: RealServerKind;
  server: RealServer;
  pid: number;
  /** How it was set up, for the report. */
  setup: string;
  uid: number;
  gid: number;
}

export async function startBenchServer(kind: RealServerKind, pki: TestPki): Promise<BenchServer> {
  const tls = { certFile: pki.server.certFile, keyFile: pki.server.keyFile };
  let server: RealServer;
  let setup: string;
  if (kind === 'vsftpd') {
    server = await startVsftpd({ tls, mode: 'explicit', requireSessionReuse: true });
    setup = 'explicit AUTH TLS, force_local_data_ssl, require_ssl_reuse=YES';
  } else if (kind === 'proftpd') {
    server = await startProftpd({ tls, tlsRequired: 'on', requireSessionReuse: true });
    setup = 'explicit AUTH TLS, TLSRequired on, data-channel session reuse required (mod_tls default), mod_digest';
  } else {
    server = await startPureFtpd({ tls, tlsLevel: 3 });
    setup = 'explicit AUTH TLS, --tls=3 (TLS for login and data); never resumes data-channel sessions';
  }
  const owner = statSync(server.root);
  return { kind, server, pid: listeningPid(server.port), setup, uid: owner.uid, gid: owner.gid };
}

/** Files every tool reads its login from, mode 0600. */
export interface Logins {
  netrc: string;
  passwordFile: string;
  emptyPolicies: string;
}

export function writeLogins(dir: string, server: RealServer): Logins {
  mkdirSync(dir, { recursive: true });
  const netrc = path.join(dir, 'netrc');
  writeFileSync(netrc, `machine 127.0.0.1 login ${server.user} password ${server.password}\n`, { mode: 0o600 });
  const passwordFile = path.join(dir, 'password');
  writeFileSync(passwordFile, `${server.password}\n`, { mode: 0o600 });
  const emptyPolicies = path.join(dir, 'no-policies');
  mkdirSync(emptyPolicies, { recursive: true });
  return { netrc, passwordFile, emptyPolicies };
}

/** An ftpsctl profile as admins write it: defaults (system trust store on) plus the test CA. */
export function writeProfile(
  file: string,
  server: RealServer,
  pki: TestPki,
  logins: Logins,
  extra: Record<string, unknown> = {},
): string {
  writeFileSync(
    file,
    JSON.stringify(
      {
        name: 'bench',
        host: '127.0.0.1',
        port: server.port,
        user: server.user,
        password: { file: logins.passwordFile },
        tls: { serverName: 'localhost', pki: { caFile: pki.caFile } },
        ...extra,
      },
      null,
      2,
    ),
  );
  return file;
}

/** An lftp script (mode 0600: it holds the password) that opens the server and runs `commands`. */
export function lftpScript(file: string, server: RealServer, pki: TestPki, commands: readonly string[]): string {
  const lines = [
    `set ssl:ca-file ${pki.caFile}`,
    'set ftp:ssl-force yes',
    'set ftp:ssl-protect-data yes',
    // The test certificate names localhost; lftp connects to 127.0.0.1 (the chain is still verified).
    'set ssl:check-hostname no',
    'set net:max-retries 1',
    'set cmd:fail-exit yes',
    `open -u ${server.user},${server.password} ftp://127.0.0.1:${server.port}`,
    ...commands,
    'bye',
    '',
  ];
  writeFileSync(file, lines.join('\n'), { mode: 0o600 });
  return file;
}

export function curlBase(pki: TestPki, logins: Logins): string[] {
  return ['--ssl-reqd', '--cacert', pki.caFile, '--netrc-file', logins.netrc, '-sS', '--fail'];
}

export async function createBenchPki(dir: string): Promise<TestPki> {
  return createTestPki(path.join(dir, 'pki'));
}

function firstLine(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')[0]
      .trim();
  } catch {
    return 'unknown';
  }
}

/** Machine, versions and load, for the report. */
export function describeMachine(): string {
  const versions = SERVER_KINDS.map((kind) => {
    try {
      return readFileSync(path.join(serversDir(), kind, '.versions'), 'utf8')
        .split('\n')[0]
        .trim();
    } catch {
      return `${kind} (version unknown)`;
    }
  });
  const cpu = os.cpus();
  return [
    `- Machine: ${cpu.length} vCPUs (${cpu[0]?.model ?? 'unknown CPU'}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${os.release()}; client and server share the cores; loopback (127.0.0.1).`,
    `- Node ${process.version}; ${firstLine(CURL, ['-V'])}; ${firstLine(LFTP, ['--version'])}.`,
    `- Servers (Debian 12 packages, started by packages/testbed/src/real-servers): ${versions.join(', ')}.`,
    `- Load average when the run started: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`,
  ].join('\n');
}
