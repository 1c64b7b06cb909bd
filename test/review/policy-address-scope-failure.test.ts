/**
 * Review (policy bypass): a machine policy scoped by address (`<appliesTo><host>127.0.0.0/8`)
 * stops applying to a host NAME that resolves into that block as soon as the policy file is
 * unusable. resolveForSession looks names up only when some *usable* policy is scoped by
 * address, and the dial check's `unappliedAddressScoped` lists only usable policies, so a
 * failure scoped by address never sees the dialed address. A user makes the machine file
 * unusable without touching it: a file of their own (`--policies`) that reuses the machine
 * policy's name turns both into failures (rejectDuplicateNames). The session then runs with
 * none of the machine policy's rules. Contract: DESIGN.md "A policy file that cannot be read,
 * parsed or validated is an error that refuses the sessions it could apply to"; README "address
 * and CIDR rules apply to the address actually dialed".
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHostileServer } from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { runCli, type CliRun } from '../helpers/run-cli';
import { policyDocument, writePolicyFolder } from '../helpers/policy-folder';

jest.setTimeout(90_000);

let dir: string;
let pki: TestPki;
let machine: string;
let mine: string;

beforeAll(async () => {
  if (existsSync('/etc/ftpsctl/policies'))
    throw new Error('these tests stand in for the machine folder with $FTPSCTL_MACHINE_POLICY_DIR');
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-addr-'));
  chmodSync(dir, 0o755);
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
  // The admin: sessions to the loopback network may only use port 990 (and must use FIPS mode).
  machine = writePolicyFolder(dir, 'machine', {
    'corp.xml': policyDocument(
      'corp-internal',
      '<appliesTo><host>127.0.0.0/8</host></appliesTo>' +
        '<setting path="tls.fipsMode" enforce="mandatory">true</setting>' +
        '<setting path="port" enforce="allow"><value>990</value></setting>',
    ),
  });
  // The user: a harmless-looking policy of their own that happens to reuse the machine policy's name.
  mine = writePolicyFolder(dir, 'mine', {
    'mine.xml': policyDocument(
      'corp-internal',
      '<appliesTo><profile>no-such-profile</profile></appliesTo><setting path="transfer.parallel" enforce="ceiling">2</setting>',
      'scope="user" priority="1"',
    ),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function profile(port: number): string {
  const file = path.join(dir, `p-${port}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name: 'p',
      host: 'localhost', // resolves to 127.0.0.1, inside the machine policy's 127.0.0.0/8
      port,
      user: 'alice',
      password: { env: 'REVIEW_PW' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
    }),
  );
  return file;
}

const run = (args: string[]): Promise<CliRun> =>
  runCli(args, {
    cwd: dir,
    env: { REVIEW_PW: 'review-secret-1', FTPSCTL_POLICY_DIR: '', FTPSCTL_MACHINE_POLICY_DIR: machine },
  });

describe('a machine policy scoped by address, made unusable by a user file with the same name', () => {
  it('baseline: the machine policy refuses the session to localhost (port 2121 is not allowed)', async () => {
    const result = await run(['resolve', profile(2121)]);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('not allowed by policy corp-internal');
  });

  it('resolve still refuses with --policies adding a same-named user file (exit 3 or 4, never allow)', async () => {
    const result = await run(['resolve', profile(2121), '--policies', mine, '--json']);
    // Found: exit 0, "decision": "allow", tls.fipsMode false: the machine policy no longer applies.
    expect(JSON.parse(result.stdout).decision).toBe('refuse');
    expect([3, 4]).toContain(result.code);
  });

  it('session check connects to nothing with the same-named user file', async () => {
    const server = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
    try {
      const result = await run(['session', 'check', profile(server.port), '--policies', mine]);
      // Found: the session logs in to 127.0.0.1 on a port the machine policy forbids, without FIPS mode.
      expect(server.connections).toBe(0);
      expect([3, 4]).toContain(result.code);
    } finally {
      await server.stop();
    }
  });

  it('the audit trail names the machine file as machine scope, even when the name clash makes it unusable', async () => {
    const result = await run(['resolve', profile(2121), '--policies', mine, '--json']);
    const sources = JSON.parse(result.stdout).policySources as Array<{ path: string; scope: string; source: string }>;
    const machineFile = sources.find((s) => s.path === path.join(machine, 'corp.xml'));
    // Found: {"scope": "user", "source": "file"}: the duplicate-name failure drops where the file came from.
    expect(machineFile).toMatchObject({ scope: 'machine', source: 'machine' });
  });
});

describe('a machine policy file scoped by address that is unusable for its own reasons', () => {
  let broken: string;
  beforeAll(() => {
    broken = writePolicyFolder(dir, 'broken-machine', {
      'corp.xml': policyDocument(
        'corp-internal',
        '<appliesTo><host>127.0.0.0/8</host></appliesTo>' +
          '<setting path="tls.fipsMode" enforce="mandatory">perhaps</setting>',
      ),
    });
  });
  const runBroken = (args: string[]): Promise<CliRun> =>
    runCli(args, {
      cwd: dir,
      env: { REVIEW_PW: 'review-secret-1', FTPSCTL_POLICY_DIR: '', FTPSCTL_MACHINE_POLICY_DIR: broken },
    });

  it('refuses a host name that resolves into its block (the name is looked up for failures too)', async () => {
    const result = await runBroken(['resolve', profile(2121), '--json']);
    expect(JSON.parse(result.stdout).decision).toBe('refuse');
    expect(result.code).toBe(3); // an unusable policy file is an input problem
    expect(result.stdout).toContain('is unusable');
  });

  it('session check connects to nothing', async () => {
    const server = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
    try {
      const result = await runBroken(['session', 'check', profile(server.port)]);
      expect(server.connections).toBe(0);
      expect(result.code).toBe(3);
    } finally {
      await server.stop();
    }
  });
});
