/**
 * OpenSSH's StrictModes for policy folders a user names (issue 12): a group-writable policy file,
 * or a folder above it writable by others, is refused with the chmod that fixes it (exit 3);
 * root's sticky /tmp above it is fine. The built binary, as users run it.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from '../helpers/run-cli';

let dir: string;
const profile = path.join(repoRoot, 'examples', 'profiles', 'explicit.json');
const env = { FTPSCTL_POLICY_DIR: '', FTPSCTL_MACHINE_POLICY_DIR: '' };
const POLICY =
  '<policy xmlns="urn:ftpsctl:policy:1" name="strict-test" scope="user" priority="1">\n  <setting path="transfer.parallel" enforce="ceiling">2</setting>\n</policy>\n';

function policyFolder(name: string): string {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  chmodSync(folder, 0o755);
  writeFileSync(path.join(folder, 'p.xml'), POLICY, { mode: 0o644 });
  return folder;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-strict-'));
  chmodSync(dir, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('policy folders a user names are checked like OpenSSH StrictModes', () => {
  it('accepts a folder owned by the user under the sticky /tmp', async () => {
    const result = await runCli(['resolve', profile, '--policies', policyFolder('ok')], { env });
    expect(result.code).toBe(0);
  });

  it('refuses a group-writable policy file, naming the chmod', async () => {
    const folder = policyFolder('group-writable');
    chmodSync(path.join(folder, 'p.xml'), 0o664);
    const result = await runCli(['resolve', profile, '--policies', folder], { env });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).toMatch(/p\.xml is writable by its group; run: chmod go-w/);
  });

  it('refuses a policy folder whose parent is world-writable (not sticky)', async () => {
    const parent = path.join(dir, 'open-parent');
    mkdirSync(parent);
    chmodSync(parent, 0o777);
    const folder = path.join(parent, 'pol');
    mkdirSync(folder, { mode: 0o755 });
    writeFileSync(path.join(folder, 'p.xml'), POLICY, { mode: 0o644 });
    const result = await runCli(['resolve', profile, '--policies', folder], { env });
    expect(result.code).toBe(3);
    expect(result.stdout + result.stderr).toMatch(
      /open-parent is writable by its group and every user; run: chmod go-w .*a folder above the policy folder/,
    );
  });

  it('the same for $FTPSCTL_POLICY_DIR and for session commands, before any connection', async () => {
    const folder = policyFolder('env-group-writable');
    chmodSync(folder, 0o775);
    const viaEnv = await runCli(['resolve', profile], { env: { ...env, FTPSCTL_POLICY_DIR: folder } });
    expect(viaEnv.code).toBe(3);
    const session = await runCli(['session', 'check', profile, '--policies', folder], { env });
    expect(session.code).toBe(3);
  });
});
