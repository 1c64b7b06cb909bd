/**
 * Reviewer defects, as a user meets them with the built binary:
 *  1. a policy source reached twice (the same folder twice, a folder and a file in it, a link to
 *     it, $FTPSCTL_POLICY_DIR and --policies, the machine folder and --policies) is one file: no
 *     "policy name is also used by" itself, highest rank kept, listed once in audit records;
 *  2. an empty --policies= / --policies-only= / --audit-log= is a usage error (exit 2);
 *  3. an audit log that is a FIFO, device, directory, socket or link to one is refused before
 *     any connection (exit 6);
 *  4. `policy validate` reports a policy-named file that can't be read at the policy's line.
 * The machine folder is stood in for by $FTPSCTL_MACHINE_POLICY_DIR (ignored while the real
 * /etc/ftpsctl/policies exists).
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHostileServer, type HostileServer } from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { runCli, type CliRun } from '../helpers/run-cli';
import { writePolicyFolder } from '../helpers/policy-folder';

jest.setTimeout(90_000);

const PASSWORD = 'dedupe-secret-5c0d';
let dir: string;
let pki: TestPki;
let pol: string;
let none: string;
const REV =
  '<policy xmlns="urn:ftpsctl:policy:1" name="rev" scope="machine" priority="100">\n  <setting path="tls.minVersion" enforce="floor">TLSv1.2</setting>\n</policy>\n';

const folder = (name: string, files: Record<string, string>): string => writePolicyFolder(dir, name, files);

function profile(name: string, host = '127.0.0.2', port = 21): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      host,
      port,
      user: 'alice',
      password: { env: 'DD_PW' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
    }),
  );
  return file;
}

/** No machine folder unless the test names one (the stand-in points at an empty folder). */
const run = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  runCli(args, {
    cwd: dir,
    env: { DD_PW: PASSWORD, FTPSCTL_POLICY_DIR: '', FTPSCTL_MACHINE_POLICY_DIR: none, ...env },
  });

/** The parts of resolve, audit, policy validate and error JSON these tests read. */
interface CliJson {
  decision?: string;
  valid?: boolean;
  files?: unknown[];
  summary?: Record<string, number>;
  policySources: Array<{ path: string } & Record<string, unknown>>;
  error: { code: string; message: string; exitCode: number };
}
const json = (result: CliRun): CliJson => JSON.parse(result.stdout || result.stderr) as CliJson;

beforeAll(async () => {
  if (existsSync('/etc/ftpsctl/policies'))
    throw new Error(
      'these tests stand in for the machine folder with $FTPSCTL_MACHINE_POLICY_DIR, which is ignored while /etc/ftpsctl/policies exists',
    );
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-dedupe-cli-'));
  chmodSync(dir, 0o755);
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
  pol = folder('pol', { '10.xml': REV });
  none = folder('no-machine-policies', {});
  symlinkSync(pol, path.join(dir, 'pol-link'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('1. a policy file reached twice is read once', () => {
  const file = (): string => path.join(pol, '10.xml');
  it.each([
    ['the reported input: --policies pol --policies pol', () => ['--policies', 'pol', '--policies', 'pol'], {}],
    ['a folder plus a file inside it', () => ['--policies', 'pol', '--policies', 'pol/10.xml'], {}],
    ['a symbolic link to the same folder', () => ['--policies', 'pol', '--policies', 'pol-link'], {}],
    ['$FTPSCTL_POLICY_DIR=$PWD/pol and --policies pol', () => ['--policies', 'pol'], { FTPSCTL_POLICY_DIR: 'ABS_POL' }],
  ])('%s: resolve exits 0 and lists the file once', async (_label, flags, env) => {
    const result = await run(
      ['resolve', ...flags(), profile('twice'), '--json'],
      Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === 'ABS_POL' ? pol : v])),
    );
    expect(result.stderr).not.toContain('is also used by');
    expect(result.code).toBe(0);
    const resolution = json(result);
    expect(resolution.decision).toBe('allow');
    expect(resolution.policySources).toHaveLength(1);
    expect(resolution.policySources[0]).toMatchObject({ policy: 'rev', scope: 'user', source: 'user', usable: true });
    expect(path.resolve(dir, resolution.policySources[0].path)).toBe(file());
  });

  it('the machine folder plus --policies naming it: exit 0, the file ranks as machine', async () => {
    const result = await run(['resolve', '--policies', pol, profile('machine-twice'), '--json'], {
      FTPSCTL_MACHINE_POLICY_DIR: pol,
    });
    expect(result.code).toBe(0);
    expect(json(result).policySources).toEqual([
      expect.objectContaining({ path: file(), policy: 'rev', scope: 'machine', source: 'machine', usable: true }),
    ]);
    expect(result.stderr).not.toContain('claims scope');
  });

  it('audit --profiles DIR --policies MACHINE_FOLDER (what audit --help suggests) refuses nothing, and lists the file once', async () => {
    const profiles = folder('profiles', {});
    copyFileSync(profile('audited'), path.join(profiles, 'audited.json'));
    const result = await run(['audit', '--profiles', profiles, '--policies', pol, '--json'], {
      FTPSCTL_MACHINE_POLICY_DIR: pol,
    });
    expect(result.code).toBe(0);
    const report = json(result);
    expect(report.summary).toMatchObject({ profiles: 1, allowed: 1, refused: 0, invalid: 0, duplicateNames: 0 });
    expect(report.policySources).toEqual([
      expect.objectContaining({ path: file(), scope: 'machine', source: 'machine', usable: true }),
    ]);
  });

  it('a session with the machine folder also named by --policies runs, and its audit event lists the file once', async () => {
    const server: HostileServer = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
    try {
      const log = path.join(dir, 'session-twice.jsonl');
      await run(
        ['session', 'check', profile('session-twice', '127.0.0.1', server.port), '--policies', pol, '--audit-log', log],
        { FTPSCTL_MACHINE_POLICY_DIR: pol },
      );
      const events = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as { event: { action: string }; ftpsctl: { policy_sources: Array<Record<string, unknown>> } },
        );
      const start = events.find((e) => e.event.action === 'session.start');
      expect(start?.ftpsctl.policy_sources).toEqual([
        expect.objectContaining({ path: file(), scope: 'machine', source: 'machine' }),
      ]);
      expect(server.connections).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('policy validate pol pol-link pol/10.xml: one file, valid, exit 0', async () => {
    const result = await run(['policy', 'validate', 'pol', 'pol-link', 'pol/10.xml', '--json']);
    expect(result.code).toBe(0);
    const report = json(result);
    expect(report.valid).toBe(true);
    expect(report.files).toEqual([expect.objectContaining({ file: 'pol/10.xml', valid: true, policy: 'rev' })]);
    expect(report.policySources).toHaveLength(1);
  });

  it('a genuinely different file with the same policy name still refuses (exit 3), naming the other file', async () => {
    const copy = folder('copy', {});
    copyFileSync(path.join(pol, '10.xml'), path.join(copy, '10.xml'));
    const result = await run(['resolve', '--policies', 'pol', '--policies', copy, profile('clash')]);
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).toContain(`policy name "rev" is also used by ${path.join(copy, '10.xml')}`);
  });
});

describe('2. an empty path flag is a usage error', () => {
  it.each([
    ['resolve --policies= (the reported input)', () => ['resolve', '--policies=', profile('empty')], '--policies'],
    ['resolve --policies ""', () => ['resolve', '--policies', '', profile('empty')], '--policies'],
    ['resolve --policies-only=', () => ['resolve', '--policies-only=', profile('empty')], '--policies-only'],
    ['audit --policies=', () => ['audit', '--profiles', dir, '--policies='], '--policies'],
    ['policy show --policies-only=', () => ['policy', 'show', '--policies-only='], '--policies-only'],
    ['policy validate --policies-only=', () => ['policy', 'validate', '--policies-only='], '--policies-only'],
    ['session check --policies=', () => ['session', 'check', profile('empty'), '--policies='], '--policies'],
    ['session check --audit-log=', () => ['session', 'check', profile('empty'), '--audit-log='], '--audit-log'],
    ['session ls --audit-log ""', () => ['session', 'ls', profile('empty'), '--audit-log', ''], '--audit-log'],
  ])('%s: exit 2, FTPSCTL_ERR_USAGE naming the flag', async (_label, args, flag) => {
    const human = await run(args());
    expect(human.code).toBe(2);
    expect(human.stderr).toContain(`${flag} needs `);
    expect(human.stderr).toContain(`it was given an empty value (${flag}=)`);
    expect(human.stderr).not.toMatch(/is unusable|Parsing --/);
    const machine = await run([...args(), '--json']);
    expect(machine.code).toBe(2);
    expect(json(machine).error).toMatchObject({ code: 'FTPSCTL_ERR_USAGE', exitCode: 2 });
  });
});

describe('3. an audit log must be a regular file', () => {
  let server: Server;
  let connections = 0;
  let unix: Server;
  beforeAll(async () => {
    server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    execFileSync('mkfifo', [path.join(dir, 'fifo')]);
    symlinkSync(path.join(dir, 'fifo'), path.join(dir, 'fifo-link'));
    symlinkSync('/dev/null', path.join(dir, 'null-link'));
    unix = createServer();
    await new Promise<void>((resolve) => unix.listen(path.join(dir, 'sock'), resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => unix.close(() => resolve()));
  });

  it.each([
    ['./fifo', 'a FIFO (named pipe)', 'fifo'],
    ['./fifo-link', 'a FIFO (named pipe)', 'fifo-link'],
    ['/dev/null', 'a character device', '/dev/null'],
    ['./null-link', 'a character device', 'null-link'],
    ['.', 'a directory', '.'],
    ['./sock', 'a socket', 'sock'],
  ])('--audit-log %s (%s): exit 6, FTPSCTL_ERR_AUDIT_LOG naming it, no connection', async (log, what, shown) => {
    const before = connections;
    const result = await run([
      'session',
      'ls',
      profile('fifo-log', '127.0.0.1', (server.address() as { port: number }).port),
      '--audit-log',
      log,
      '--json',
    ]);
    expect(result.code).toBe(6);
    const error = json(result).error;
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain(`the audit log ${path.resolve(dir, shown)} is ${what}, not a regular file`);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(connections).toBe(before);
  });

  it('a symbolic link to a regular file is followed: the events land in the file', async () => {
    const hostile = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
    try {
      writeFileSync(path.join(dir, 'real.jsonl'), '');
      symlinkSync(path.join(dir, 'real.jsonl'), path.join(dir, 'real-link.jsonl'));
      await run([
        'session',
        'check',
        profile('linked-log', '127.0.0.1', hostile.port),
        '--audit-log',
        './real-link.jsonl',
      ]);
      const actions = readFileSync(path.join(dir, 'real.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { event: { action: string } }).event.action);
      expect(actions).toContain('session.start');
    } finally {
      await hostile.stop();
    }
  });
});

describe('4. policy validate checks the files a policy names', () => {
  it('the reported input: a mandatory tls.pki.caFile that does not exist is reported at the policy line, exit 3, as resolve does', async () => {
    const polca = folder('polca', {
      'a.xml':
        '<policy xmlns="urn:ftpsctl:policy:1" name="ca" scope="user" priority="10">\n  <setting path="tls.pki.caFile" enforce="mandatory">missing-ca.pem</setting>\n</policy>\n',
    });
    const validate = await run(['policy', 'validate', 'polca']);
    expect(validate.code).toBe(3);
    expect(validate.stdout).toContain(
      `polca/a.xml:2:3 tls.pki.caFile (mandatory in policy ca): missing-ca.pem (${path.join(polca, 'missing-ca.pem')}) does not exist`,
    );
    expect(validate.stdout).not.toContain('valid (policy ca)');
    const resolve = await run(['resolve', '--policies', 'polca', profile('polca')]);
    expect(resolve.code).toBe(3);
    expect(resolve.stderr).toContain('polca/a.xml:2:3 tls.pki.caFile');
    const simulation = json(await run(['policy', 'validate', '--policies-only', 'polca', '--json']));
    expect(simulation.valid).toBe(false);
    expect(simulation.files).toEqual([
      expect.objectContaining({
        file: 'polca/a.xml',
        valid: false,
        problems: [expect.objectContaining({ line: 2, column: 3 })],
      }),
    ]);
  });

  it('CRL files and the client certificate: missing, a device, a directory; each at its line', async () => {
    folder('polpki', {
      'b.xml': [
        '<policy xmlns="urn:ftpsctl:policy:1" name="pki" scope="user" priority="10">',
        '  <setting path="tls.pki.crlFiles" enforce="mandatory"><value>/nonexistent/crl.pem</value><value>/dev/null</value></setting>',
        '  <setting path="tls.pki.clientCertificate" enforce="recommended">{"certFile":"c.pem","keyFile":"/tmp"}</setting>',
        '</policy>',
        '',
      ].join('\n'),
    });
    const result = await run(['policy', 'validate', 'polpki']);
    expect(result.code).toBe(3);
    const lines = result.stdout.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^polpki\/b\.xml:2:3 tls\.pki\.crlFiles\[0\] .*\/nonexistent\/crl\.pem does not exist/),
        expect.stringMatching(/^polpki\/b\.xml:2:3 tls\.pki\.crlFiles\[1\] .*\/dev\/null is a character device/),
        expect.stringMatching(
          /^polpki\/b\.xml:3:3 tls\.pki\.clientCertificate\.certFile \(recommended in policy pki\): c\.pem .* does not exist/,
        ),
        expect.stringMatching(/^polpki\/b\.xml:3:3 tls\.pki\.clientCertificate\.keyFile .*\/tmp is a directory/),
      ]),
    );
  });

  it('a policy whose CA file exists (relative to the policy file) is valid, exit 0', async () => {
    const good = folder('polgood', {
      'c.xml':
        '<policy xmlns="urn:ftpsctl:policy:1" name="good-ca" scope="user" priority="10">\n  <setting path="tls.pki.caFile" enforce="mandatory">ca.pem</setting>\n</policy>\n',
    });
    copyFileSync(pki.caFile, path.join(good, 'ca.pem'));
    const result = await run(['policy', 'validate', 'polgood']);
    expect(result.stdout).toContain('polgood/c.xml: valid (policy good-ca)');
    expect(result.code).toBe(0);
  });
});
