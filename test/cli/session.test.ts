/**
 * `ftpsctl session ...` as users run it: the built binary against the embedded server (and
 * the hostile one where a test must count connections or serve hostile names).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from '../../src/loopback/server';
import { startHostileServer } from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { binary, repoRoot, runCli, type CliRun } from '../helpers/run-cli';
import { startMiniHttpsProxy } from '../helpers/mini-proxies';

jest.setTimeout(60_000);

const PASSWORD = 'cli-session-secret-93ab';
const env = { FTPSCTL_TEST_PW: PASSWORD };
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-cli-session-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function writeProfile(name: string, port: number, extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, `${name}.json`);
  const profile = {
    name,
    host: '127.0.0.1',
    port,
    user: 'alice',
    password: { env: 'FTPSCTL_TEST_PW' },
    tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
    ...extra,
  };
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

async function withServer(
  options: Partial<EmbeddedServerOptions>,
  run: (server: EmbeddedServer, root: string) => Promise<void>,
): Promise<void> {
  const root = mkdtempSync(path.join(dir, 'root-'));
  const server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: pki.server.cert, key: pki.server.key },
    ...options,
  });
  try {
    await run(server, root);
  } finally {
    await server.stop();
  }
}

const session = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  runCli(['session', ...args, '--policies', path.join(repoRoot, 'policies')], {
    env: { ...env, ...extraEnv },
    cwd: dir,
  });

describe('ftpsctl session against the embedded server', () => {
  it('check reports what was negotiated, in --json too', async () => {
    await withServer({}, async (server) => {
      const profile = writeProfile('check', server.port);
      const human = await session(['check', profile]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/TLS +TLSv1\.3, TLS_AES_256_GCM_SHA384/);
      expect(human.stdout).toMatch(/session reuse +data connections resume the TLS session/);
      // The server's pins in the forms a profile takes, ready to copy (curl's sha256// for the public key).
      expect(human.stdout).toMatch(/^public key pin +sha256\/\/[A-Za-z0-9+/]{43}=$/m);
      const json = await session(['check', profile, '--json']);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({
        profile: 'check',
        tls: {
          version: 'TLSv1.3',
          protection: 'P',
          chainValidated: true,
          fips: 'off',
          clearCommandChannel: false,
          serverCertificate: { sha256: pki.server.sha256 },
        },
        dataChannelResumed: true,
      });
    });
  });

  it('put, ls, get (verified), mkdir, mv, rm, and an audit log with every event and no secret', async () => {
    await withServer({}, async (server, root) => {
      const profile = writeProfile('ops', server.port);
      const log = path.join(dir, 'ops-audit.jsonl');
      const payload = randomBytes(2 * 1024 * 1024);
      writeFileSync(path.join(dir, 'payload.bin'), payload);
      const put = await session(['put', profile, 'payload.bin', 'up.bin', '--audit-log', log]);
      expect(put).toMatchObject({ code: 0 });
      expect(put.stdout).toContain('payload.bin -> up.bin: 2.0 MiB, verified by hash');
      expect(sha256(readFileSync(path.join(root, 'up.bin')))).toBe(sha256(payload));
      const ls = await session(['ls', profile, '--json']);
      expect(JSON.parse(ls.stdout).entries).toEqual([
        expect.objectContaining({ name: 'up.bin', type: 'file', size: payload.length }),
      ]);
      const get = await session(['get', profile, 'up.bin', 'copy.bin', '--audit-log', log, '--json']);
      expect(get.code).toBe(0);
      expect(JSON.parse(get.stdout)).toMatchObject({
        verifiedBy: 'hash',
        sha256: sha256(payload),
        localPath: 'copy.bin',
      });
      expect(sha256(readFileSync(path.join(dir, 'copy.bin')))).toBe(sha256(payload));
      expect((await session(['mkdir', profile, 'archive', '--audit-log', log])).code).toBe(0);
      expect((await session(['mv', profile, 'up.bin', 'archive/up.bin', '--audit-log', log])).code).toBe(0);
      expect(existsSync(path.join(root, 'archive', 'up.bin'))).toBe(true);
      expect((await session(['rm', profile, 'archive/up.bin', '--audit-log', log])).code).toBe(0);
      expect((await session(['rm', profile, 'archive', '--dir', '--audit-log', log])).code).toBe(0);
      expect(readdirSync(root)).toEqual([]);
      // A refused change is recorded too, with the server's refusal, and fails the session.
      const missing = await session(['rm', profile, 'no-such.bin', '--audit-log', log]);
      expect(missing.code).toBe(6);

      const events = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const session4 = (action: string) => ['session.start', 'tls.established', action, 'session.end'];
      expect(events.map((e) => e.event.action)).toEqual([
        ...session4('transfer'),
        ...session4('transfer'),
        ...session4('directory.create'),
        ...session4('file.rename'),
        ...session4('file.delete'),
        ...session4('directory.delete'),
        ...session4('file.delete'),
      ]);
      const changes = events.filter((e) => /^(file|directory)\./.test(e.event.action));
      expect(changes.map((e) => [e.event.action, e.event.outcome, e.event.type, e.file])).toEqual([
        ['directory.create', 'success', ['creation'], { path: 'archive', type: 'dir' }],
        ['file.rename', 'success', ['change'], { path: 'archive/up.bin', type: 'file' }],
        ['file.delete', 'success', ['deletion'], { path: 'archive/up.bin', type: 'file' }],
        ['directory.delete', 'success', ['deletion'], { path: 'archive', type: 'dir' }],
        ['file.delete', 'failure', ['deletion'], { path: 'no-such.bin', type: 'file' }],
      ]);
      expect(changes[1].ftpsctl.renamed_from).toBe('up.bin');
      expect(changes[4].error).toMatchObject({
        code: 'FTPSCTL_ERR_COMMAND_FAILED',
        message: expect.stringContaining('550'),
      });
      expect(events.at(-1)).toMatchObject({ event: { action: 'session.end', outcome: 'failure' } });
      expect(events[2]).toMatchObject({
        ftpsctl: { profile: 'ops', direction: 'upload', verified_by: 'hash' },
        file: { path: 'up.bin', size: payload.length, hash: { sha256: sha256(payload) } },
      });
      expect(events[1]).toMatchObject({
        tls: { version: '1.3', server: { hash: { sha256: pki.server.sha256 } } },
        ftpsctl: { prot: 'P', ccc: false, fips: 'off' },
      });
      for (const event of events) {
        expect(event.ftpsctl.resolution_sha256).toMatch(/^[0-9a-f]{64}$/);
        expect(event.ftpsctl.policies.map((p: { name: string }) => p.name)).toEqual(['corp-baseline', 'user-defaults']);
        expect(event.ftpsctl.policies.every((p: { sha256: string }) => /^[0-9a-f]{64}$/.test(p.sha256))).toBe(true);
      }
      const everything = [readFileSync(log, 'utf8'), put.stdout, put.stderr, get.stdout, get.stderr, ls.stdout].join(
        '\n',
      );
      expect(everything).not.toContain(PASSWORD);

      const summary = await runCli(['audit', 'sessions', log], { cwd: dir });
      expect(summary.code).toBe(0);
      expect(summary.stdout).toMatch(/ops +7 +6 +1 +2 +0 +4194304/);
      expect(summary.stdout).toMatch(/TLS 1\.3 +7/);
    });
  });

  it('mirrors a tree down with parallel connections, skips unchanged files, and mirrors it back up with --reverse', async () => {
    await withServer({}, async (server, root) => {
      mkdirSync(path.join(root, 'tree', 'sub'), { recursive: true });
      const files: Record<string, Buffer> = {
        'tree/a.txt': randomBytes(1000),
        'tree/b.bin': randomBytes(50_000),
        'tree/sub/c.bin': randomBytes(70_000),
      };
      for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(root, name), bytes);
      const profile = writeProfile('mirror', server.port, { transfer: { parallel: 3 } });
      const local = path.join(dir, 'mirror-down');
      const first = await session(['mirror', profile, 'tree', local, '--json']);
      expect(first.code).toBe(0);
      const report = JSON.parse(first.stdout);
      expect(report.transferred).toHaveLength(3);
      for (const [name, bytes] of Object.entries(files))
        expect(sha256(readFileSync(path.join(local, name.replace(/^tree\//, ''))))).toBe(sha256(bytes));
      const second = await session(['mirror', profile, 'tree', local]);
      expect(second.stdout).toContain('downloaded 0, unchanged 3, refused 0, failed 0');
      writeFileSync(path.join(local, 'sub', 'new.txt'), 'new');
      const upLog = path.join(dir, 'mirror-up-audit.jsonl');
      const up = await session(['mirror', profile, 'copy', local, '--reverse', '--audit-log', upLog]);
      expect(up.code).toBe(0);
      expect(up.stdout).toContain('uploaded 4, unchanged 0, refused 0, failed 0');
      // The folders the upload made are in the audit log, before the files that went into them.
      const upEvents = readFileSync(upLog, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      const made = upEvents.filter((e) => e.event.action === 'directory.create');
      expect(made.map((e) => [e.file.path, e.event.outcome])).toEqual([
        ['copy', 'success'],
        ['copy/sub', 'success'],
      ]);
      expect(upEvents.findIndex((e) => e.event.action === 'directory.create')).toBeLessThan(
        upEvents.findIndex((e) => e.event.action === 'transfer'),
      );
      expect(readFileSync(path.join(root, 'copy', 'sub', 'new.txt'), 'utf8')).toBe('new');
      expect(sha256(readFileSync(path.join(root, 'copy', 'sub', 'c.bin')))).toBe(sha256(files['tree/sub/c.bin']));
    });
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)(
    'a get stopped by %s (exit %d) leaves no file under the final name, a part stamped with the remote time, and --resume completes it with the right SHA-256',
    async (signal, exitCode) => {
      await withServer({ downloadBytesPerSecond: 2 * 1024 * 1024 }, async (server, root) => {
        const payload = randomBytes(6 * 1024 * 1024);
        writeFileSync(path.join(root, 'big.bin'), payload);
        const remoteTime = new Date('2026-03-04T05:06:07Z');
        utimesSync(path.join(root, 'big.bin'), remoteTime, remoteTime);
        const profile = writeProfile(`resume-${signal}`, server.port);
        const target = path.join(dir, `big-${signal}.bin`);
        const part = `${target}.ftpsctl-part`;
        const child = spawn(
          process.execPath,
          [binary, 'session', 'get', profile, 'big.bin', target, '--policies', path.join(repoRoot, 'policies')],
          { env: { ...process.env, ...env }, cwd: dir, stdio: 'ignore' },
        );
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        for (let i = 0; i < 300 && !(existsSync(part) && statSync(part).size > 1024 * 1024); i++)
          await new Promise((r) => setTimeout(r, 20));
        child.kill(signal);
        expect(await exited).toBe(exitCode);
        expect(existsSync(target)).toBe(false);
        const partial = statSync(part).size;
        expect(partial).toBeGreaterThan(0);
        expect(partial).toBeLessThan(payload.length);
        // Stamped: the remote file's time plus the sub-millisecond mark (download-file.ts), so a replaced
        // remote file is told apart on --resume whatever its date.
        expect(Math.floor(statSync(part).mtimeMs / 1000)).toBe(remoteTime.getTime() / 1000);
        expect(statSync(part).mtimeMs % 1).toBeCloseTo(0.0777, 2);
        const resumed = await session(['get', profile, 'big.bin', target, '--resume', '--json']);
        expect(resumed.code).toBe(0);
        expect(JSON.parse(resumed.stdout)).toMatchObject({
          offset: partial,
          bytes: payload.length - partial,
          sha256: sha256(payload),
        });
        expect(sha256(readFileSync(target))).toBe(sha256(payload));
        expect(existsSync(part)).toBe(false);
      });
    },
  );

  it.each([
    ['get', 'SIGINT', 130],
    ['put', 'SIGINT', 130],
    ['put', 'SIGTERM', 143],
  ] as const)(
    'during %s, %s with an audit log is exit %d and an interrupted session.end, never a server failure',
    async (verb, signal, exitCode) => {
      // Both ways throttled: an upload that ended before the signal came met no handler (exit by signal, in CI).
      // A log of its own per case: a log that already says tls.established would send the signal before the handler is set.
      await withServer(
        { downloadBytesPerSecond: 2 * 1024 * 1024, uploadBytesPerSecond: 2 * 1024 * 1024 },
        async (server, root) => {
          const payload = randomBytes(64 * 1024 * 1024);
          writeFileSync(
            path.join(root, 'big-int.bin'),
            verb === 'get' ? payload.subarray(0, 6 * 1024 * 1024) : Buffer.alloc(0),
          );
          const local = path.join(dir, `int-${verb}-${signal}.bin`);
          if (verb === 'put') writeFileSync(local, payload);
          const profile = writeProfile(`int-${verb}-${signal}`, server.port);
          const log = path.join(dir, `int-${verb}-${signal}.jsonl`);
          const args = verb === 'get' ? ['get', profile, 'big-int.bin', local] : ['put', profile, local, 'up-int.bin'];
          const child = spawn(process.execPath, [binary, 'session', ...args, '--audit-log', log], {
            env: { ...process.env, ...env, FTPSCTL_POLICY_DIR: '' },
            cwd: dir,
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let stderr = '';
          child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
          const started = (): boolean => existsSync(log) && readFileSync(log, 'utf8').includes('tls.established');
          for (let i = 0; i < 300 && !started(); i++) await new Promise((r) => setTimeout(r, 20));
          await new Promise((r) => setTimeout(r, 300));
          child.kill(signal);
          expect(await exited).toBe(exitCode);
          expect(stderr).not.toMatch(/closed the control connection/);
          const events = readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line));
          expect(events.filter((e) => e.event.action === 'session.end')).toEqual([
            expect.objectContaining({
              error: expect.objectContaining({
                code: 'FTPSCTL_ERR_INTERRUPTED',
                message: expect.stringContaining(signal),
              }),
            }),
          ]);
        },
      );
    },
  );

  it('--debug and NODE_DEBUG=ftpsctl print the masked protocol on stderr, and nothing of the password', async () => {
    await withServer({}, async (server) => {
      const profile = writeProfile('debug', server.port);
      for (const [args, extraEnv, prefix] of [
        [['--debug'], {}, 'ftpsctl: '],
        [[], { NODE_DEBUG: 'ftpsctl' }, 'FTPSCTL '],
      ] as const) {
        const result = await session(['check', profile, ...args], extraEnv);
        expect(result.code).toBe(0);
        for (const line of [
          '> AUTH TLS',
          '* TLS TLSv1.3',
          '> USER alice',
          '> PASS ****',
          '< 230',
          '> PBSZ 0',
          '> PROT P',
          '> QUIT',
        ]) {
          expect(result.stderr.split('\n').some((l) => l.startsWith(prefix) && l.includes(line))).toBe(true);
        }
        expect(result.stderr).not.toContain(PASSWORD);
        expect(result.stdout).not.toMatch(/^(ftpsctl: )?> /m);
      }
      const quiet = await session(['check', profile]);
      expect(quiet.stderr).not.toContain('> USER');
    });
  });

  it('a wrong password is exit 6 with a plain message', async () => {
    await withServer({}, async (server) => {
      const result = await session(['check', writeProfile('wrongpw', server.port)], {
        FTPSCTL_TEST_PW: 'not-the-password',
      });
      expect(result.code).toBe(6);
      // The example policies claim machine scope from a --policies folder: one note line names them (issue 10).
      expect(result.stderr.replace(/^ftpsctl: note: .* claim scope="machine".*\n/, '')).toBe(
        `ftpsctl: 127.0.0.1 rejected the login of "alice" (530 Login incorrect); check the user and the password source of the profile\n`,
      );
    });
  });

  it('a certificate error is exit 5', async () => {
    await withServer({}, async (server) => {
      const profile = writeProfile('wrongca', server.port, {
        tls: { serverName: 'localhost', pki: { caFile: pki.untrusted.caFile, useSystemTrustStore: false } },
      });
      const result = await session(['check', profile]);
      expect(result.code).toBe(5);
      expect(result.stderr).toContain('the server certificate was issued by a CA that is not trusted');
    });
  });

  it('--dry-run prints the resolution and connects to nothing', async () => {
    const hostile = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
    try {
      const result = await session(['get', writeProfile('dry', hostile.port), 'x', '--dry-run']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('decision: allow');
      expect(hostile.connections).toBe(0);
    } finally {
      await hostile.stop();
    }
  });
});

describe('ftpsctl session: refusals and hostile servers', () => {
  it('a profile refused by policy ends with exit 4 before any connection (the server counts zero)', async () => {
    const hostile = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
    try {
      const policies = path.join(dir, 'deny-loopback');
      mkdirSync(policies, { recursive: true });
      writeFileSync(
        path.join(policies, 'deny.xml'),
        '<policy xmlns="urn:ftpsctl:policy:1" name="no-loopback" scope="machine" priority="1"><setting path="host" enforce="deny"><value>127.0.0.1</value></setting></policy>',
      );
      const result = await runCli(
        ['session', 'get', writeProfile('refused', hostile.port), 'x', '--policies', policies],
        { env, cwd: dir },
      );
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(
        'profile "refused" is refused by policy, no connection was opened: host 127.0.0.1 is denied by policy no-loopback',
      );
      expect(hostile.connections).toBe(0);
    } finally {
      await hostile.stop();
    }
  });

  it('mirror refuses server names that would leave the target folder, and reports them', async () => {
    const listing = [
      '-rw-r--r-- 1 u g 5 Jan 01 2026 ok.txt',
      '-rw-r--r-- 1 u g 5 Jan 01 2026 ..',
      '-rw-r--r-- 1 u g 5 Jan 01 2026 ..\\..\\evil.txt',
      '-rw-r--r-- 1 u g 5 Jan 01 2026 ok.txt.ftpsctl-part',
      '',
    ].join('\r\n');
    const hostile = await startHostileServer(
      { payloads: { listing, download: 'hello' } },
      { pki: { cert: pki.server.cert, key: pki.server.key } },
    );
    try {
      const local = path.join(dir, 'hostile-mirror');
      const result = await session([
        'mirror',
        writeProfile('hostile-names', hostile.port, { transfer: { parallel: 1, verify: 'size' } }),
        '.',
        local,
      ]);
      expect(result.stderr).toContain('refused server name "..\\\\..\\\\evil.txt": it contains a backslash');
      expect(result.stderr).toContain(
        'refused server name "ok.txt.ftpsctl-part": names ending in .ftpsctl-part are ftpsctl\'s own part files',
      );
      expect(readdirSync(local)).toEqual(['ok.txt']);
      expect(readdirSync(dir).some((f) => f.includes('evil'))).toBe(false);
    } finally {
      await hostile.stop();
    }
  });
});

describe('ftpsctl session: secrets never leak', () => {
  const PROXY_PASSWORD = 'cli-proxy-secret-77f0';

  it('no password appears in argv, output, errors, audit events or the server log, through a proxy too', async () => {
    const proxy = await startMiniHttpsProxy({
      cert: pki.server.cert,
      key: pki.server.key,
      user: 'proxyuser',
      password: PROXY_PASSWORD,
    });
    try {
      await withServer({ downloadBytesPerSecond: 4 * 1024 * 1024 }, async (server, root) => {
        writeFileSync(path.join(root, 'slow.bin'), randomBytes(3 * 1024 * 1024));
        const log = path.join(dir, 'secrets-audit.jsonl');
        const profile = writeProfile('secrets', server.port, {
          proxy: {
            enabled: true,
            type: 'https-connect',
            host: '127.0.0.1',
            port: proxy.port,
            serverName: 'localhost',
            caFile: pki.caFile,
            authorization: { user: 'proxyuser', password: { env: 'FTPSCTL_TEST_PROXY_PW' } },
          },
        });
        const secretsEnv = { ...process.env, ...env, FTPSCTL_TEST_PROXY_PW: PROXY_PASSWORD };
        // While a slow download runs, read the process's argument list as other users could.
        const child = spawn(
          process.execPath,
          [
            binary,
            'session',
            'get',
            profile,
            'slow.bin',
            path.join(dir, 'slow.bin'),
            '--policies',
            path.join(repoRoot, 'policies'),
            '--audit-log',
            log,
          ],
          { env: secretsEnv, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
        await new Promise((r) => setTimeout(r, 400));
        const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8');
        expect(await exited).toBe(0);
        const failures = [
          await session(['check', profile, '--json'], { FTPSCTL_TEST_PROXY_PW: PROXY_PASSWORD }),
          await session(['check', profile], {
            FTPSCTL_TEST_PW: 'wrong-password-1',
            FTPSCTL_TEST_PROXY_PW: PROXY_PASSWORD,
          }),
          await session(['check', profile, '--json'], { FTPSCTL_TEST_PROXY_PW: 'wrong-proxy-password-2' }),
        ];
        expect(failures.map((f) => f.code)).toEqual([0, 6, 6]);
        expect(failures[2].stdout).toContain('FTPSCTL_ERR_PROXY_AUTH');
        const events = readFileSync(log, 'utf8');
        expect(events).toContain('"proxy":{"type":"https-connect","address":"127.0.0.1"');
        expect(events).toContain('"proxy_to_host_protection":"unknown"');
        const everything = [
          cmdline,
          output,
          events,
          ...failures.flatMap((f) => [f.stdout, f.stderr]),
          server.commands.join('\n'),
        ].join('\n');
        for (const secret of [PASSWORD, PROXY_PASSWORD, 'wrong-password-1', 'wrong-proxy-password-2'])
          expect(everything).not.toContain(secret);
        expect(server.commands).toContain('PASS ****');
      });
    } finally {
      await proxy.stop();
    }
  });
});

describe('session.refused in the audit trail', () => {
  it('a session refused by policy (exit 4) or by its inputs (exit 3) writes session.refused, with the resolution resolve prints', async () => {
    const log = path.join(dir, 'refused-audit.jsonl');
    const policies = path.join(dir, 'deny-for-refusal');
    mkdirSync(policies, { recursive: true });
    writeFileSync(
      path.join(policies, 'deny.xml'),
      '<policy xmlns="urn:ftpsctl:policy:1" name="deny-loopback-audit" scope="user" priority="1">\n  <setting path="host" enforce="deny"><value>127.0.0.1</value></setting>\n</policy>\n',
    );
    const profile = writeProfile('refused-audit', 1);
    const refused = await runCli(['session', 'check', profile, '--policies', policies, '--audit-log', log], {
      env,
      cwd: dir,
    });
    expect(refused.code).toBe(4);
    const resolved = await runCli(['resolve', profile, '--policies', policies, '--json'], { env, cwd: dir });
    const [event] = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(event).toMatchObject({
      event: { action: 'session.refused', outcome: 'failure', reason: expect.stringContaining('127.0.0.1') },
      error: { code: 'FTPSCTL_ERR_REFUSED_BY_POLICY' },
      ftpsctl: {
        profile: 'refused-audit',
        refused_by: { policy: 'deny-loopback-audit', file: expect.stringContaining('deny.xml') },
        resolution_sha256: JSON.parse(resolved.stdout).resolution_sha256,
      },
    });
    const broken = path.join(dir, 'broken-for-refusal.json');
    writeFileSync(broken, '{"name": "broken", "host": "h", "tls": {"minVersion": "TLSv1.0"}}');
    const invalid = await runCli(['session', 'check', broken, '--audit-log', log], { env, cwd: dir });
    expect(invalid.code).toBe(3);
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      event: { action: 'session.refused', outcome: 'failure' },
      error: { code: 'FTPSCTL_ERR_PROFILE_INVALID' },
      ftpsctl: { profile: broken },
    });
    const summary = await runCli(['audit', 'sessions', log, '--json'], { env, cwd: dir });
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain('refused');
  });
});
