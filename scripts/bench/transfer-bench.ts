/**
 * `npm run bench -- transfer`: a 1 GiB put and get with PROT P against vsftpd on 127.0.0.1,
 * ftpsctl (the CLI as users run it, and the engine alone) next to curl and lftp in the same
 * run, three interleaved runs each, median MB/s and peak RSS (GNU time). Secrets reach every
 * tool through files of mode 0600, never argv.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createTestPki } from '../../src/loopback/pki';
import { findServer, startVsftpd } from '../../packages/testbed/src/real-servers';
import { applyDefaults } from '../../src/session/apply-defaults';

const root = path.resolve(__dirname, '..', '..', '..');
const RUNS = 3;

interface Measurement {
  seconds: number;
  maxRssKb: number;
}

function timed(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = execFile('/usr/bin/time', ['-f', 'BENCH %e %M', command, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...options.env } }, (error, _stdout, stderr) => {
      const match = /BENCH ([\d.]+) (\d+)\s*$/.exec(stderr);
      if (error || !match) return reject(new Error(`${path.basename(command)} ${args.slice(0, 3).join(' ')} failed: ${stderr.trim().slice(-500)}`));
      resolve({ seconds: Number(match[1]), maxRssKb: Number(match[2]) });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

async function writeRandomFile(file: string, bytes: number): Promise<void> {
  const fd = openSync(file, 'w');
  const chunk = 8 * 1024 * 1024;
  for (let written = 0; written < bytes; written += chunk) writeSync(fd, randomBytes(Math.min(chunk, bytes - written)));
  closeSync(fd);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function benchTransfer(): Promise<string> {
  if (!findServer('vsftpd')) throw new Error('vsftpd is not installed: run packages/testbed/install-servers.sh (as root)');
  const megabytes = Number(process.env.BENCH_TRANSFER_MB ?? 1024);
  const size = megabytes * 1024 * 1024;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ftpsctl-bench-transfer-'));
  const pki = await createTestPki(path.join(dir, 'pki'));
  const server = await startVsftpd({ mode: 'explicit', tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile } });
  try {
    const source = path.join(dir, 'source.bin');
    await writeRandomFile(source, size);
    const url = `ftp://127.0.0.1:${server.port}`;
    const netrc = path.join(dir, 'netrc');
    writeFileSync(netrc, `machine 127.0.0.1 login ${server.user} password ${server.password}\n`, { mode: 0o600 });
    const passwordFile = path.join(dir, 'password');
    writeFileSync(passwordFile, `${server.password}\n`, { mode: 0o600 });
    const emptyPolicies = path.join(dir, 'no-policies');
    mkdirSync(emptyPolicies);
    const profileFields = { name: 'bench', host: '127.0.0.1', port: server.port, user: server.user, tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } } };
    const profile = path.join(dir, 'bench.json');
    writeFileSync(profile, JSON.stringify({ ...profileFields, password: { file: passwordFile }, transfer: { verify: 'size' } }));
    const probeJob = (direction: 'get' | 'put', remote: string, local: string): string =>
      JSON.stringify({ settings: applyDefaults({ ...profileFields, password: { env: 'UNUSED' } }), password: server.password, direction, remote, local, sha256: false });
    const lftpScript = (command: string): string => {
      const file = path.join(dir, `lftp-${randomBytes(4).toString('hex')}`);
      writeFileSync(file, [`set ssl:ca-file ${pki.caFile}`, 'set ftp:ssl-force yes', 'set ftp:ssl-protect-data yes', 'set ssl:check-hostname no', 'set net:max-retries 1', `open -u ${server.user},${server.password} ${url}`, command, 'bye', ''].join('\n'), { mode: 0o600 });
      return file;
    };
    const node = process.execPath;
    const cli = path.join(root, 'bin', 'run.js');
    const probe = path.join(root, 'dist', 'scripts', 'transfer-probe.js');
    const curlBase = ['--ssl-reqd', '--cacert', pki.caFile, '--netrc-file', netrc, '-sS'];
    const tools: Array<{ name: string; put: (remote: string) => Promise<Measurement>; get: (remote: string, local: string) => Promise<Measurement> }> = [
      {
        name: 'ftpsctl CLI (session put/get, SHA-256 for the audit)',
        put: (remote) => timed(node, [cli, 'session', 'put', profile, source, remote, '--policies', emptyPolicies]),
        get: (remote, local) => timed(node, [cli, 'session', 'get', profile, remote, local, '--policies', emptyPolicies]),
      },
      { name: 'ftpsctl engine (library, no hashing)', put: (remote) => timed(node, [probe], { input: probeJob('put', remote, source) }), get: (remote, local) => timed(node, [probe], { input: probeJob('get', remote, local) }) },
      { name: 'curl 7.88 --ssl-reqd', put: (remote) => timed('curl', [...curlBase, '-T', source, `${url}/${remote}`]), get: (remote, local) => timed('curl', [...curlBase, '-o', local, `${url}/${remote}`]) },
      { name: 'lftp 4.9', put: (remote) => timed('lftp', ['-f', lftpScript(`put ${source} -o ${remote}`)]), get: (remote, local) => timed('lftp', ['-f', lftpScript(`get ${remote} -o ${local}`)]) },
    ];
    const results = new Map<string, { put: Measurement[]; get: Measurement[] }>(tools.map((t) => [t.name, { put: [], get: [] }]));
    for (let run = 0; run < RUNS; run++) {
      for (const tool of run % 2 === 0 ? tools : [...tools].reverse()) {
        const remote = `bench-${run}-${tools.indexOf(tool)}.bin`;
        const local = path.join(dir, `down-${tools.indexOf(tool)}.bin`);
        results.get(tool.name)?.put.push(await tool.put(remote));
        if (statSync(path.join(server.root, remote)).size !== size) throw new Error(`${tool.name}: upload of ${remote} is incomplete`);
        results.get(tool.name)?.get.push(await tool.get(remote, local));
        if (statSync(local).size !== size) throw new Error(`${tool.name}: download of ${remote} is incomplete`);
        rmSync(local);
        rmSync(path.join(server.root, remote));
      }
    }
    const rate = (m: Measurement[]): number => size / 1e6 / median(m.map((x) => x.seconds));
    const curl = results.get('curl 7.88 --ssl-reqd') as { put: Measurement[]; get: Measurement[] };
    const rows = tools.map((tool) => {
      const r = results.get(tool.name) as { put: Measurement[]; get: Measurement[] };
      const rss = Math.max(...r.put.map((m) => m.maxRssKb), ...r.get.map((m) => m.maxRssKb)) / 1024;
      return `| ${tool.name} | ${rate(r.get).toFixed(0)} MB/s | ${(rate(r.get) / rate(curl.get)).toFixed(2)} | ${rate(r.put).toFixed(0)} MB/s | ${(rate(r.put) / rate(curl.put)).toFixed(2)} | ${rss.toFixed(0)} MB |`;
    });
    return [
      `${megabytes} MiB get and put with PROT P (TLS 1.3, explicit AUTH TLS) against vsftpd 3.0.3 on 127.0.0.1, data connections resuming the control session (require_ssl_reuse=YES). ${RUNS} interleaved runs per tool and direction, median wall time of the whole command (start-up, login and transfer), peak RSS from GNU time. Node ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}.`,
      '',
      '| tool | get | get vs curl | put | put vs curl | peak RSS |',
      '|---|---|---|---|---|---|',
      ...rows,
      '',
      "vsftpd's TLS receive path limits every client's upload rate on this machine (see `../shared/research/ftps-interop.md`); the get column compares the clients.",
    ].join('\n');
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
