/**
 * Issue 10 (enforcement) and issue 9 item 6 (unmanaged), as a user who wants around a policy
 * would try it: the built binary against the hostile server, which counts every connection
 * and records every byte, so "no connection reached the server" is proven, not assumed.
 * The machine folder is stood in for by $FTPSCTL_MACHINE_POLICY_DIR, which ftpsctl honours only
 * while the real /etc/ftpsctl/policies does not exist (these tests need that).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHostileServer, type HostileServer } from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { runCli, type CliRun } from '../helpers/run-cli';
import { policyDocument, writePolicyFolder } from '../helpers/policy-folder';

jest.setTimeout(90_000);

const PASSWORD = 'enforcement-secret-7f31';
let pki: TestPki;
let dir: string;
let machine: string;
let empty: string;

const policy = policyDocument;

const folder = (name: string, files: Record<string, string>): string => writePolicyFolder(dir, name, files);

beforeAll(async () => {
  if (existsSync('/etc/ftpsctl/policies'))
    throw new Error(
      'these tests stand in for the machine folder with $FTPSCTL_MACHINE_POLICY_DIR, which is ignored while /etc/ftpsctl/policies exists; run them on a machine without it',
    );
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-enforcement-'));
  chmodSync(dir, 0o755);
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
  machine = folder('machine', {
    'deny.xml': policy(
      'deny-loopback',
      '<setting path="host" enforce="deny"><value>127.0.0.1</value><value>*.evil.example</value></setting>',
    ),
  });
  empty = folder('empty', {});
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function profile(name: string, host: string, port: number, extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, `${name}.json`);
  const tls = {
    serverName: 'localhost',
    pki: { caFile: pki.caFile, useSystemTrustStore: false },
    ...((extra.tls as object) ?? {}),
  };
  writeFileSync(file, JSON.stringify({ name, host, port, user: 'alice', password: { env: 'ENF_PW' }, ...extra, tls }));
  return file;
}

const run = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> =>
  runCli(args, {
    cwd: dir,
    env: { ENF_PW: PASSWORD, FTPSCTL_POLICY_DIR: '', FTPSCTL_MACHINE_POLICY_DIR: machine, ...env },
  });

async function withHostile(test: (server: HostileServer) => Promise<void>): Promise<void> {
  const server = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
  try {
    await test(server);
  } finally {
    await server.stop();
  }
}

describe('machine policies always apply to sessions', () => {
  it.each([
    ['no flag', [] as string[], {}],
    ['--policies EMPTY', ['--policies', 'EMPTY'], {}],
    ['$FTPSCTL_POLICY_DIR=EMPTY', [], { FTPSCTL_POLICY_DIR: 'EMPTY' }],
    ['both', ['--policies', 'EMPTY'], { FTPSCTL_POLICY_DIR: 'EMPTY' }],
  ])('a machine deny of 127.0.0.1 holds with %s: exit 4, no connection', async (_label, flags, env) => {
    await withHostile(async (server) => {
      const args = [
        'session',
        'check',
        profile('machine-deny', '127.0.0.1', server.port),
        ...flags.map((f) => (f === 'EMPTY' ? empty : f)),
      ];
      const result = await run(
        args,
        Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === 'EMPTY' ? empty : v])),
      );
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('host 127.0.0.1 is denied by policy deny-loopback');
      expect(server.connections).toBe(0);
    });
  });

  it('a machine folder writable by others refuses every session (StrictModes), exit 3, no connection', async () => {
    const loose = folder('loose-machine', {
      'ok.xml': policy('fine', '<setting path="tls.minVersion" enforce="floor">TLSv1.2</setting>'),
    });
    chmodSync(loose, 0o777);
    await withHostile(async (server) => {
      const result = await run(['session', 'check', profile('loose', '127.0.0.1', server.port)], {
        FTPSCTL_MACHINE_POLICY_DIR: loose,
      });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`${loose} is writable by its group and every user; run: chmod go-w ${loose}`);
      expect(server.connections).toBe(0);
    });
  });

  it('a group-writable machine policy file is refused too', async () => {
    const target = folder('group-machine', {
      'g.xml': policy('g', '<setting path="tls.minVersion" enforce="floor">TLSv1.2</setting>'),
    });
    chmodSync(path.join(target, 'g.xml'), 0o664);
    const result = await run(['resolve', profile('group', '127.0.0.2', 21)], { FTPSCTL_MACHINE_POLICY_DIR: target });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('is writable by its group');
  });
});

describe('rank comes from the source, not from the file', () => {
  const admin = (): string =>
    folder('rank-machine', {
      'prot.xml': policy('admin-prot', '<setting path="tls.encryptDataChannel" enforce="mandatory">true</setting>'),
    });
  const claims = (): string =>
    folder('rank-user', {
      'claim.xml': policy(
        'self-promoted',
        '<setting path="tls.encryptDataChannel" enforce="mandatory">false</setting>',
        'scope="machine" priority="9999"',
      ),
    });

  it('a user folder claiming scope="machine" priority="9999" loses to the machine mandate, with a warning naming the file', async () => {
    const result = await run(
      [
        'resolve',
        profile('rank', '127.0.0.2', 21, { tls: { encryptDataChannel: false } }),
        '--policies',
        claims(),
        '--json',
      ],
      { FTPSCTL_MACHINE_POLICY_DIR: admin() },
    );
    const resolution = JSON.parse(result.stdout);
    expect(resolution.settings['tls.encryptDataChannel']).toMatchObject({
      value: true,
      policy: 'admin-prot',
      status: 'overridden',
    });
    expect(resolution.warnings.join('\n')).toContain(
      `${path.join(dir, 'rank-user', 'claim.xml')} claims scope="machine" but was read from`,
    );
    expect(resolution.policySources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: path.join(dir, 'rank-user', 'claim.xml'),
          scope: 'user',
          source: 'user',
          declaredScope: 'machine',
        }),
        expect.objectContaining({
          path: path.join(dir, 'rank-machine', 'prot.xml'),
          scope: 'machine',
          source: 'machine',
        }),
      ]),
    );
  });

  it('the session runs under the machine value: data is protected (PROT P), never PROT C', async () => {
    await withHostile(async (server) => {
      const result = await run(
        [
          'session',
          'ls',
          profile('rank-session', '127.0.0.1', server.port, { tls: { encryptDataChannel: false } }),
          '--policies',
          claims(),
        ],
        { FTPSCTL_MACHINE_POLICY_DIR: admin() },
      );
      expect(result.stderr).toContain('claims scope="machine"');
      expect(result.code).toBe(0);
      const lines = server.commandLog().map((c) => c.line);
      expect(lines).toContain('PROT P');
      expect(lines).not.toContain('PROT C');
    });
  });

  it('--policies-only is a simulation: files rank as they declare, and the output says so', async () => {
    const result = await run([
      'resolve',
      profile('simulated', '127.0.0.2', 21, { tls: { encryptDataChannel: false } }),
      '--policies-only',
      claims(),
      '--json',
    ]);
    const resolution = JSON.parse(result.stdout);
    expect(resolution.simulation).toBe(true);
    expect(resolution.settings['tls.encryptDataChannel']).toMatchObject({ value: false, policy: 'self-promoted' });
    const human = await run(['resolve', profile('simulated', '127.0.0.2', 21), '--policies-only', claims()]);
    expect(human.stdout.split('\n')[0]).toMatch(/^simulation \(--policies-only\)/);
    const session = await run(['session', 'check', profile('simulated', '127.0.0.2', 21), '--policies-only', claims()]);
    expect(session.code).toBe(2);
  });
});

describe('a host cannot be spelled around a rule', () => {
  it.each([
    '127.1',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '127.0.0.1.',
    '0x7f.1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
  ])('deny 127.0.0.1 refuses host %s: exit 4, no connection', async (host) => {
    await withHostile(async (server) => {
      const result = await run(['session', 'check', profile('spelled', host, server.port)]);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('is denied by policy deny-loopback');
      expect(server.connections).toBe(0);
    });
  });

  it.each(['ftp.evil.example.', 'FTP.Evil.Example', 'ftp.EVIL.example.'])(
    'deny *.evil.example refuses %s (exit 4)',
    async (host) => {
      const result = await run(['session', 'check', profile('evil', host, 21)]);
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('host ftp.evil.example is denied by policy deny-loopback');
    },
  );

  it.each([
    ['localhost', '127.0.0.0/8'],
    ['localhost', '127.0.0.1'],
  ])(
    'a name (%s) that resolves to a denied address (%s) is refused when dialed: exit 4, no connection',
    async (host, rule) => {
      const cidr = folder(`cidr-${rule.replace(/\W/g, '-')}`, {
        'c.xml': policy('no-loopback-net', `<setting path="host" enforce="deny"><value>${rule}</value></setting>`),
      });
      await withHostile(async (server) => {
        const result = await run(['session', 'check', profile('by-name', host, server.port)], {
          FTPSCTL_MACHINE_POLICY_DIR: cidr,
        });
        expect(result.code).toBe(4);
        expect(result.stderr).toMatch(
          new RegExp(
            `the address 127\\.0\\.0\\.1 is denied by policy no-loopback-net .*it matches ${rule.replace(/[./]/g, '\\$&')}`,
          ),
        );
        expect(server.connections).toBe(0);
      });
    },
  );

  it('an allow list of 10.0.0.0/8 refuses a name that dials 127.0.0.1 (exit 4, no connection)', async () => {
    const allow = folder('allow-net', {
      'a.xml': policy('corp-net', '<setting path="host" enforce="allow"><value>10.0.0.0/8</value></setting>'),
    });
    await withHostile(async (server) => {
      const result = await run(['session', 'check', profile('allowed-net', 'localhost', server.port)], {
        FTPSCTL_MACHINE_POLICY_DIR: allow,
      });
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('is not allowed by policy corp-net');
      expect(server.connections).toBe(0);
    });
  });

  it.each(['ftp.agency.example.', 'FTP.AGENCY.EXAMPLE', 'ftp.agency.example'])(
    'appliesTo *.agency.example applies to %s (FIPS and the TLS 1.3 floor hold)',
    async (host) => {
      const agency = folder('agency', {
        'fips.xml': policy(
          'agency-fips',
          '<appliesTo><host>*.agency.example</host></appliesTo><setting path="tls.fipsMode" enforce="mandatory">true</setting><setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>',
        ),
      });
      const result = await run(['resolve', profile('agency', host, 21), '--json'], {
        FTPSCTL_MACHINE_POLICY_DIR: agency,
      });
      const resolution = JSON.parse(result.stdout);
      expect(resolution.settings.host.value).toBe('ftp.agency.example');
      expect(resolution.settings['tls.fipsMode']).toMatchObject({ value: true, policy: 'agency-fips' });
      expect(resolution.settings['tls.minVersion']).toMatchObject({ value: 'TLSv1.3', policy: 'agency-fips' });
    },
  );

  it('appliesTo with an address rule applies to a name that resolves into it', async () => {
    const scoped = folder('scoped-net', {
      'net.xml': policy(
        'loopback-net',
        '<appliesTo><host>127.0.0.0/8</host></appliesTo><setting path="tls.encryptDataChannel" enforce="mandatory">true</setting>',
      ),
    });
    const result = await run(
      ['resolve', profile('scoped', 'localhost', 21, { tls: { encryptDataChannel: false } }), '--json'],
      { FTPSCTL_MACHINE_POLICY_DIR: scoped },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout).settings['tls.encryptDataChannel']).toMatchObject({
      value: true,
      policy: 'loopback-net',
    });
  });
});

describe("a profile name is the user's to choose", () => {
  it('policy validate warns when a tightening policy is scoped only by profile name', async () => {
    const byName = folder('by-name', {
      'f.xml': policy(
        'finance',
        '<appliesTo><profile>finance-*</profile></appliesTo><setting path="tls.fipsMode" enforce="mandatory">true</setting>',
      ),
    });
    const result = await run(['policy', 'validate', '--policies-only', byName]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain(
      'policy finance enforces tls.fipsMode (mandatory) but is scoped only by profile name (finance-*); a user who renames the profile escapes it',
    );
  });

  it('a host-scoped policy still applies to a renamed profile', async () => {
    const byHost = folder('by-host', {
      'h.xml': policy(
        'bank-fips',
        '<appliesTo><host>*.bank.example</host></appliesTo><setting path="tls.fipsMode" enforce="mandatory">true</setting>',
      ),
    });
    for (const name of ['finance-payroll', 'renamed']) {
      const result = await run(['resolve', profile(name, 'sftp.bank.example', 21), '--json'], {
        FTPSCTL_MACHINE_POLICY_DIR: byHost,
      });
      expect(JSON.parse(result.stdout).settings['tls.fipsMode']).toMatchObject({ value: true, policy: 'bank-fips' });
    }
  });
});

describe("the administrator's intent, not only the letter", () => {
  it.each([
    ['encryptDataChannel', '<setting path="tls.encryptDataChannel" enforce="mandatory">true</setting>'],
    ['a TLS 1.3 floor', '<setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>'],
    ['chain validation', '<setting path="tls.validateCertificateChain" enforce="mandatory">true</setting>'],
    ['no CCC', '<setting path="tls.clearCommandChannel" enforce="mandatory">false</setting>'],
  ])('tls.enabled false under a mandate of %s is refused: exit 4, nothing sent in clear', async (_label, body) => {
    const mandate = folder(`tls-${_label.replace(/\W/g, '-')}`, { 't.xml': policy('tls-mandate', body) });
    await withHostile(async (server) => {
      const result = await run(
        ['session', 'check', profile('clear', '127.0.0.1', server.port, { tls: { enabled: false } })],
        { FTPSCTL_MACHINE_POLICY_DIR: mandate },
      );
      expect(result.code).toBe(4);
      expect(result.stderr).toContain('Any TLS mandate implies TLS, so the session is refused');
      expect(server.connections).toBe(0);
    });
  });

  it('a revocation floor is not voided by validation off plus a pin: the revoked certificate is refused (exit 5)', async () => {
    const floor = folder('crl-floor', {
      'r.xml': policy('crl', '<setting path="tls.pki.revocation" enforce="floor">crl</setting>'),
    });
    const server = await startHostileServer({}, { pki: { cert: pki.revoked.cert, key: pki.revoked.key } });
    try {
      const file = profile('revoked', '127.0.0.1', server.port, {
        tls: {
          validateCertificateChain: false,
          pki: {
            caFile: pki.caFile,
            useSystemTrustStore: false,
            pinnedSha256: [pki.revoked.sha256],
            crlFiles: [pki.crlFile],
          },
        },
      });
      const result = await run(['session', 'check', file], { FTPSCTL_MACHINE_POLICY_DIR: floor });
      expect(result.code).toBe(5);
      expect(result.stderr).toContain('its certificate is revoked');
      expect(server.commands()).not.toContain('USER');
      expect(server.commands()).not.toContain('PASS');
    } finally {
      await server.stop();
    }
  });

  it("mandated audit logs add up: every policy's log gets the events", async () => {
    const logs = folder('two-logs', {
      'a.xml': policy(
        'log-a',
        '<setting path="audit.logFile" enforce="mandatory">a.jsonl</setting>',
        'scope="machine" priority="200"',
      ),
      'b.xml': policy('log-b', '<setting path="audit.logFile" enforce="mandatory">b.jsonl</setting>'),
    });
    await withHostile(async (server) => {
      const result = await run(
        ['session', 'check', profile('logged', '127.0.0.1', server.port, { tls: { serverName: 'localhost' } })],
        { FTPSCTL_MACHINE_POLICY_DIR: logs },
      );
      expect(result.stderr).toBe('');
      for (const log of ['a.jsonl', 'b.jsonl']) {
        const events = readFileSync(path.join(logs, log), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        expect(events.map((e) => e.event.action)).toContain('session.start');
        expect(events[0].ftpsctl).toMatchObject({
          managed: true,
          policy_sources: expect.arrayContaining([
            expect.objectContaining({ path: path.join(logs, 'a.xml'), scope: 'machine', source: 'machine' }),
          ]),
        });
      }
    });
  });

  it('a profile that overrides a recommended value is recorded, and audit counts it', async () => {
    const recommends = folder('recommends', {
      'r.xml': policy('rec', '<setting path="tls.minVersion" enforce="recommended">TLSv1.3</setting>'),
    });
    const profiles = path.join(dir, 'rec-profiles');
    mkdirSync(path.join(profiles, 'sub'), { recursive: true });
    writeFileSync(
      path.join(profiles, 'a.json'),
      JSON.stringify({
        name: 'a',
        host: 'a.example',
        user: 'u',
        password: { env: 'X' },
        tls: { minVersion: 'TLSv1.2' },
      }),
    );
    writeFileSync(
      path.join(profiles, 'B.JSON'),
      JSON.stringify({ name: 'b', host: 'b.example', user: 'u', password: { env: 'X' } }),
    );
    writeFileSync(
      path.join(profiles, 'sub', 'a-again.Json'),
      JSON.stringify({ name: 'a', host: 'c.example', user: 'u', password: { env: 'X' } }),
    );
    const result = await run(['audit', '--profiles', profiles, '--json'], { FTPSCTL_MACHINE_POLICY_DIR: recommends });
    const report = JSON.parse(result.stdout);
    expect(report.summary).toMatchObject({ profiles: 3, rejectedRecommendations: 1, duplicateNames: 1 });
    expect(report.managed).toBe(true);
    const a = report.profiles.find((p: { file: string }) => p.file === path.join(profiles, 'a.json'));
    expect(a.resolution.settings['tls.minVersion'].rejectedRecommendation).toMatchObject({
      value: 'TLSv1.3',
      policy: 'rec',
    });
    expect(a.duplicateOf).toEqual([path.join(profiles, 'sub', 'a-again.Json')]);
    const table = await run(['audit', '--profiles', profiles], { FTPSCTL_MACHINE_POLICY_DIR: recommends });
    expect(table.stdout).toContain('1 override a recommended value; 1 profile name used by several files');
  });
});

describe('unmanaged runs say so (issue 9, item 6)', () => {
  const unmanaged = { FTPSCTL_MACHINE_POLICY_DIR: '' };

  it('session, resolve and audit print one "unmanaged" line first, naming the folders looked in', async () => {
    await withHostile(async (server) => {
      const session = await run(['session', 'check', profile('free', '127.0.0.1', server.port), '--json'], unmanaged);
      expect(session.stderr.split('\n')[0]).toMatch(
        /^ftpsctl: unmanaged: no policy source applies \(looked in \/etc\/ftpsctl\/policies;/,
      );
      expect(session.stderr.split('\n').filter((l) => l.includes('unmanaged'))).toHaveLength(1);
      expect(JSON.parse(session.stdout)).toMatchObject({ managed: false });
    });
    const resolve = await run(['resolve', profile('free', '127.0.0.2', 21), '--json'], unmanaged);
    expect(resolve.stderr).toMatch(/^ftpsctl: unmanaged/);
    expect(JSON.parse(resolve.stdout)).toMatchObject({ managed: false, policySources: [] });
    const audit = await run(['audit', '--profiles', empty], unmanaged);
    expect(audit.stderr).toMatch(/^ftpsctl: unmanaged/);
  });

  it('a managed run has no such line and says managed: true', async () => {
    const resolve = await run(['resolve', profile('held', '127.0.0.2', 21), '--json']);
    expect(resolve.stderr).not.toContain('unmanaged');
    expect(JSON.parse(resolve.stdout).managed).toBe(true);
  });

  it('a $FTPSCTL_POLICY_DIR that does not exist is a refusal (exit 3) naming the variable', async () => {
    const result = await run(['session', 'check', profile('missing', '127.0.0.2', 21)], {
      ...unmanaged,
      FTPSCTL_POLICY_DIR: path.join(dir, 'nope'),
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('$FTPSCTL_POLICY_DIR names this folder');
  });
});
