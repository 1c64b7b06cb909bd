/**
 * A policy file reached through several sources is one file (identity: device and inode): read
 * once, at the highest rank its sources give, listed once in the audit records. Two different
 * files with the same policy name still fail.
 */
import { chmodSync, copyFileSync, linkSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FtpsctlError } from '../errors';
import { loadPolicySet } from './load-policy-set';
import type { PolicySourceSpec } from './policy-set';
import {
  loadCommandPolicies,
  loadSessionPolicies,
  loadSimulationPolicies,
  policySourceRecords,
} from './policy-sources';
import { writePolicyFolder } from '../../test/helpers/policy-folder';

let dir: string;
let pol: string;
let machine: string;
const REV =
  '<policy xmlns="urn:ftpsctl:policy:1" name="rev" scope="machine" priority="100">\n  <setting path="tls.fipsMode" enforce="mandatory">true</setting>\n</policy>\n';

const folder = (name: string, files: Record<string, string>): string => writePolicyFolder(dir, name, files);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-dedupe-'));
  chmodSync(dir, 0o755);
  pol = folder('pol', { '10.xml': REV, 'notes.txt': 'not a policy' });
  machine = folder('machine', { '10.xml': REV });
  symlinkSync(pol, path.join(dir, 'pol-link'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const user = (p: string): PolicySourceSpec => ({ path: p, kind: 'user', origin: '--policies' });
const machineSpec = (p: string): PolicySourceSpec => ({
  path: p,
  kind: 'machine',
  origin: 'machine folder',
  strict: 'root-or-self',
});
/** The stand-in machine folder only (the real /etc/ftpsctl/policies is not looked at). */
const session = (env: NodeJS.ProcessEnv = {}) => ({
  env: { FTPSCTL_MACHINE_POLICY_DIR: machine, ...env },
  exists: (p: string) => !p.startsWith('/etc/'),
});

function onlyRev(
  set: Awaited<ReturnType<typeof loadPolicySet>>,
  file: string,
  scope: 'machine' | 'user' = 'user',
): void {
  expect(set.failures).toEqual([]);
  expect(set.policies.map((p) => [p.name, p.file, p.scope])).toEqual([['rev', file, scope]]);
  expect(policySourceRecords(set).map((r) => r.path)).toEqual([file]);
}

describe('a policy file reached twice is read once', () => {
  it('the reported input: --policies pol --policies pol', async () => {
    const set = await loadPolicySet([user(pol), user(pol)]);
    onlyRev(set, path.join(pol, '10.xml'));
    expect(set.sources).toEqual([pol]);
    // The file that is not a policy is reported once, too.
    expect(set.ignored).toEqual([path.join(pol, 'notes.txt')]);
    expect(set.warnings.filter((w) => w.includes('notes.txt'))).toHaveLength(1);
  });

  it('a folder and a file inside it, in either order', async () => {
    onlyRev(await loadPolicySet([user(pol), user(path.join(pol, '10.xml'))]), path.join(pol, '10.xml'));
    onlyRev(await loadPolicySet([user(path.join(pol, '10.xml')), user(pol)]), path.join(pol, '10.xml'));
  });

  it('a symbolic link to the same folder, a relative path and a trailing slash', async () => {
    onlyRev(await loadPolicySet([user(pol), user(path.join(dir, 'pol-link'))]), path.join(pol, '10.xml'));
    onlyRev(await loadPolicySet([user(pol), user(`${path.relative(process.cwd(), pol)}/`)]), path.join(pol, '10.xml'));
  });

  it('a hard link to the file (same inode, another name)', async () => {
    const other = folder('hard', {});
    linkSync(path.join(pol, '10.xml'), path.join(other, '10-linked.xml'));
    onlyRev(await loadPolicySet([user(pol), user(other)]), path.join(pol, '10.xml'));
  });

  it('--policies and $FTPSCTL_POLICY_DIR naming the same folder', async () => {
    // No machine folder here (its own rev.xml is another file with the same name).
    const set = await loadSessionPolicies([pol], { env: { FTPSCTL_POLICY_DIR: pol }, exists: () => false });
    onlyRev(set, path.join(pol, '10.xml'));
    const relative = await loadSessionPolicies([path.relative(process.cwd(), pol)], {
      env: { FTPSCTL_POLICY_DIR: path.join(dir, 'pol-link') },
      exists: () => false,
    });
    onlyRev(relative, path.join(path.relative(process.cwd(), pol), '10.xml'));
  });

  it('the machine folder also named by --policies keeps machine rank, with no "claims scope" warning', async () => {
    const set = await loadSessionPolicies([machine], session());
    onlyRev(set, path.join(machine, '10.xml'), 'machine');
    expect(set.policies[0].source).toBe('machine');
    expect(set.warnings.filter((w) => w.includes('claims scope'))).toEqual([]);
    expect(policySourceRecords(set)).toEqual([
      expect.objectContaining({
        path: path.join(machine, '10.xml'),
        scope: 'machine',
        source: 'machine',
        usable: true,
      }),
    ]);
  });

  it('a file of the machine folder named (or linked) by the user first still ranks as machine', async () => {
    const link = path.join(dir, 'machine-link');
    symlinkSync(machine, link);
    for (const first of [path.join(machine, '10.xml'), link]) {
      const set = await loadPolicySet([user(first), machineSpec(machine)]);
      expect(set.failures).toEqual([]);
      expect(set.policies.map((p) => [p.name, p.scope, p.source, p.file])).toEqual([
        ['rev', 'machine', 'machine', path.join(machine, '10.xml')],
      ]);
    }
  });

  it('the same file reached from a trusted and a world-writable folder is refused (fail closed)', async () => {
    const open = folder('open', {});
    chmodSync(open, 0o777);
    linkSync(path.join(pol, '10.xml'), path.join(open, '10.xml'));
    try {
      const set = await loadPolicySet([user(pol), user(open)]);
      expect(set.policies).toEqual([]);
      expect(set.failures).toHaveLength(1);
      expect(set.failures[0].problems[0].message).toContain('which is writable by every user');
    } finally {
      chmodSync(open, 0o755);
    }
  });

  it('a missing folder named twice is one failure', async () => {
    const missing = path.join(dir, 'nope');
    const set = await loadPolicySet([user(missing), user(missing)]);
    expect(set.failures).toHaveLength(1);
    expect(set.sources).toEqual([missing]);
  });

  it('--policies-only naming the same folder twice', async () => {
    const set = await loadSimulationPolicies([pol, path.join(dir, 'pol-link')]);
    expect(set.failures).toEqual([]);
    expect(set.policies.map((p) => [p.name, p.scope, p.source])).toEqual([['rev', 'machine', 'simulation']]);
  });
});

describe('a different file with the same policy name still fails', () => {
  it('a copy (same bytes, another inode) in another folder: both refused, each naming the other', async () => {
    const copy = folder('copy', {});
    copyFileSync(path.join(pol, '10.xml'), path.join(copy, '10.xml'));
    const set = await loadPolicySet([user(pol), user(copy)]);
    expect(set.policies).toEqual([]);
    expect(set.failures.map((f) => f.problems[0].message)).toEqual([
      `policy name "rev" is also used by ${path.join(copy, '10.xml')}; policy names must be unique`,
      `policy name "rev" is also used by ${path.join(pol, '10.xml')}; policy names must be unique`,
    ]);
  });

  it("the machine folder and a user folder with another file of the same name: the user's file fails, the machine policy stays (review: a user could otherwise unseat it)", async () => {
    const set = await loadSessionPolicies([pol], session());
    expect(set.policies.map((p) => [p.file, p.source])).toEqual([[path.join(machine, '10.xml'), 'machine']]);
    expect(set.failures.map((f) => [f.file, f.source])).toEqual([[path.join(pol, '10.xml'), 'user']]);
    expect(set.failures[0]?.problems[0]?.message).toBe(
      `policy name "rev" is already used by ${path.join(machine, '10.xml')} (the machine policy folder), which ranks above this folder: a policy from a folder you name can't reuse that policy's name; rename this one`,
    );
  });
});

describe('an empty source path is a usage error', () => {
  const usage = async (promise: Promise<unknown>, flag: string): Promise<void> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FtpsctlError);
    expect((error as FtpsctlError).code).toBe('FTPSCTL_ERR_USAGE');
    expect((error as FtpsctlError).message).toBe(
      `${flag} needs a policy folder or file; it was given an empty value (${flag}=)`,
    );
  };

  it('--policies "" and --policies-only "" (the library API; the CLI refuses them while parsing)', async () => {
    await usage(loadSessionPolicies([''], session()), '--policies');
    await usage(loadSessionPolicies([pol, '  '], session()), '--policies');
    await usage(loadSimulationPolicies(['']), '--policies-only');
    await usage(loadCommandPolicies({ 'policies-only': [''] }), '--policies-only');
  });
});
