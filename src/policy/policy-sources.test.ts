import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSessionPolicies, loadSimulationPolicies, machinePolicySource, unmanagedNotice } from './policy-sources';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-sources-'));
  chmodSync(dir, 0o755);
  for (const name of ['machine', 'user']) {
    mkdirSync(path.join(dir, name));
    chmodSync(path.join(dir, name), 0o755);
  }
  writeFileSync(
    path.join(dir, 'machine', 'm.xml'),
    '<policy xmlns="urn:ftpsctl:policy:1" name="m" scope="machine" priority="5"><setting path="tls.fipsMode" enforce="mandatory">true</setting></policy>',
  );
  writeFileSync(
    path.join(dir, 'user', 'u.xml'),
    '<policy xmlns="urn:ftpsctl:policy:1" name="u" scope="machine" priority="9999"><setting path="tls.fipsMode" enforce="mandatory">false</setting></policy>',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const onlyOverride = (file: string): boolean => !file.startsWith('/etc/');

describe('policy sources', () => {
  it('the stand-in machine folder counts only while the real one does not exist', () => {
    const env = { FTPSCTL_MACHINE_POLICY_DIR: '/somewhere' };
    expect(machinePolicySource({ env, exists: () => false, platform: 'linux' })).toMatchObject({
      spec: { path: '/somewhere', kind: 'machine', strict: 'root-or-self' },
      lookedIn: ['/etc/ftpsctl/policies', '/somewhere'],
    });
    expect(machinePolicySource({ env, exists: () => true, platform: 'linux' })).toEqual({
      spec: { path: '/etc/ftpsctl/policies', kind: 'machine', origin: 'machine folder', strict: 'root' },
      specs: [{ path: '/etc/ftpsctl/policies', kind: 'machine', origin: 'machine folder', strict: 'root' }],
      lookedIn: ['/etc/ftpsctl/policies'],
      warnings: [
        '$FTPSCTL_MACHINE_POLICY_DIR is ignored: the machine policy folder /etc/ftpsctl/policies exists, and it always applies',
      ],
    });
    // Windows: %ProgramData% is the user's to set, so only the fixed C:\ProgramData is the machine folder; a folder the variable names is reported, not read (review D5).
    const windows = machinePolicySource({ env: { ProgramData: 'D:\\Data' }, exists: () => true, platform: 'win32' });
    expect(windows.specs.map((s) => s.path)).toEqual(['C:\\ProgramData\\ftpsctl\\policies']);
    expect(
      machinePolicySource({ env: { ProgramData: 'c:\\programdata' }, exists: () => true, platform: 'win32' }).warnings,
    ).toEqual([]);
    expect(windows.warnings).toEqual([
      "D:\\Data\\ftpsctl\\policies (from %ProgramData%) is not read as a machine policy folder: only C:\\ProgramData\\ftpsctl\\policies is, since the variable is any user's to set; name it with --policies to read it with user rank",
    ]);
    const redirected = machinePolicySource({
      env: { ProgramData: 'D:\\Empty' },
      exists: (p) => p.startsWith('C:'),
      platform: 'win32',
    });
    expect(redirected.specs.map((s) => s.path)).toEqual(['C:\\ProgramData\\ftpsctl\\policies']);
  });

  it('--policies and $FTPSCTL_POLICY_DIR add sources after the machine folder; their files rank as user scope, named in a warning', async () => {
    const set = await loadSessionPolicies([path.join(dir, 'user')], {
      env: { FTPSCTL_MACHINE_POLICY_DIR: path.join(dir, 'machine') },
      exists: onlyOverride,
    });
    expect(set.managed).toBe(true);
    expect(set.policies.map((p) => [p.name, p.scope, p.priority, p.source])).toEqual([
      ['m', 'machine', 5, 'machine'],
      ['u', 'user', 9999, 'user'],
    ]);
    expect(set.warnings).toEqual([
      expect.stringContaining(
        `${path.join(dir, 'user', 'u.xml')} claims scope="machine" but was read from ${path.join(dir, 'user')} (--policies)`,
      ),
    ]);
    const viaEnv = await loadSessionPolicies(undefined, {
      env: { FTPSCTL_MACHINE_POLICY_DIR: path.join(dir, 'machine'), FTPSCTL_POLICY_DIR: path.join(dir, 'user') },
      exists: onlyOverride,
    });
    expect(viaEnv.policies.map((p) => p.name)).toEqual(['m', 'u']);
  });

  it('no source at all is unmanaged, and says where it looked', async () => {
    const set = await loadSessionPolicies(undefined, { env: {}, exists: () => false, platform: 'linux' });
    expect(set.managed).toBe(false);
    expect(unmanagedNotice(set)).toBe(
      'ftpsctl: unmanaged: no policy source applies (looked in /etc/ftpsctl/policies; no --policies, no $FTPSCTL_POLICY_DIR); settings come from the profile and built-in defaults only',
    );
  });

  it('a missing $FTPSCTL_POLICY_DIR is a failure that names the variable', async () => {
    const set = await loadSessionPolicies(undefined, {
      env: { FTPSCTL_POLICY_DIR: path.join(dir, 'nope') },
      exists: () => false,
    });
    expect(set.failures[0].problems[0].message).toContain('$FTPSCTL_POLICY_DIR names this folder');
  });

  it('--policies-only ranks files as they declare and marks the set a simulation', async () => {
    const set = await loadSimulationPolicies([path.join(dir, 'user')]);
    expect(set).toMatchObject({ simulation: true, managed: true });
    expect(set.policies.map((p) => [p.name, p.scope, p.source])).toEqual([['u', 'machine', 'simulation']]);
  });
});
