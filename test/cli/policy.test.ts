import { chmod, mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from '../helpers/run-cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ftpsctl-policy-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const policies = path.join(repoRoot, 'policies');
const profiles = path.join(repoRoot, 'examples/profiles');
const BROKEN_POLICY = `<?xml version="1.0"?>
<policy xmlns="urn:ftpsctl:policy:1" name="broken" scope="machine" priority="100">
  <appliesTo><profile>payroll</profile></appliesTo>
  <setting path="tls.fipMode" enforce="mandatory">true</setting>
</policy>
`;

async function folder(name: string, files: Record<string, string>): Promise<string> {
  const target = path.join(dir, name);
  await mkdir(target, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(path.join(target, file), text);
  return target;
}

describe('ftpsctl policy validate', () => {
  it('exits 0 for the shipped policies and names each', async () => {
    const result = await runCli(['policy', 'validate', policies]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${path.join(policies, '10-corp-baseline.xml')}: valid (policy corp-baseline)`);
    expect(result.stdout).toContain(`${path.join(policies, '90-user-defaults.xml')}: valid (policy user-defaults)`);
  });

  it('exits 3 with file:line:col and the fix for a broken file', async () => {
    const target = await folder('broken', { 'broken.xml': BROKEN_POLICY });
    const result = await runCli(['policy', 'validate', target]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(
      `${path.join(target, 'broken.xml')}:4:12 unknown setting path "tls.fipMode"; did you mean "tls.fipsMode"?\n`,
    );
  });

  it('reports contradictions between files and exits 3', async () => {
    const target = await folder('contradiction', {
      'a.xml':
        '<policy xmlns="urn:ftpsctl:policy:1" name="a" scope="machine" priority="1">\n<setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>\n</policy>\n',
      'b.xml':
        '<policy xmlns="urn:ftpsctl:policy:1" name="b" scope="user" priority="1">\n<setting path="tls.minVersion" enforce="ceiling">TLSv1.2</setting>\n</policy>\n',
      'notes.txt': 'not a policy',
    });
    const result = await runCli(['policy', 'validate', target, '--json']);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as {
      valid: boolean;
      contradictions: Array<{ message: string }>;
      ignored: string[];
    };
    expect(report.valid).toBe(false);
    expect(report.contradictions.map((c) => c.message)).toEqual([
      `tls.minVersion: the floor TLSv1.3 of policy a (${path.join(target, 'a.xml')}:2) is above the ceiling TLSv1.2 of policy b (${path.join(target, 'b.xml')}:2); no value satisfies both`,
    ]);
    expect(report.ignored).toEqual([path.join(target, 'notes.txt')]);
  });

  it('refuses a world-writable policy file with the chmod that fixes it', async () => {
    const target = await folder('writable', {
      'open.xml': '<policy xmlns="urn:ftpsctl:policy:1" name="open" scope="machine" priority="1"/>\n',
    });
    await chmod(path.join(target, 'open.xml'), 0o666);
    const result = await runCli(['policy', 'validate', target]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(
      `${path.join(target, 'open.xml')} cannot be trusted as a policy: ${path.join(target, 'open.xml')} is writable by its group and every user; run: chmod go-w ${path.join(target, 'open.xml')}\n`,
    );
  });
});

describe('ftpsctl resolve', () => {
  it('exits 0 and shows a raised value next to the profile value', async () => {
    const result = await runCli(['resolve', path.join(profiles, 'proxy.json'), '--policies', policies]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^tls\.minVersion +TLSv1\.3 \(profile: TLSv1\.2\) +.*30-finance\.xml:13 \(finance, floor\) +raised$/m,
    );
    expect(result.stdout).toMatch(/^decision: allow$/m);
  });

  it('exits 4 when policy refuses the profile, naming the policy', async () => {
    const result = await runCli(['resolve', path.join(profiles, 'vendor-drop.json'), '--policies', policies]);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain(
      `host drop.vendor.example.net is denied by policy user-defaults (${path.join(policies, '90-user-defaults.xml')}:9): it matches *.example.net`,
    );
    expect(result.stdout).toMatch(/^decision: refuse \(1 violation\)$/m);
  });

  it('--json prints the Resolution', async () => {
    const result = await runCli(['resolve', path.join(profiles, 'vendor-drop.json'), '--policies', policies, '--json']);
    const resolution = JSON.parse(result.stdout) as {
      decision: string;
      settings: Record<
        string,
        { value: unknown; source: string; status: string; profileValue?: unknown; policy?: string }
      >;
    };
    expect(result.code).toBe(4);
    expect(resolution.decision).toBe('refuse');
    expect(resolution.settings['tls.clearCommandChannel']).toMatchObject({
      value: false,
      source: 'policy',
      status: 'overridden',
      profileValue: true,
      policy: 'corp-baseline',
    });
  });

  it('exits 3 for an invalid profile', async () => {
    const file = path.join(dir, 'bad-profile.json');
    await writeFile(file, '{"name": "x"}');
    const result = await runCli(['resolve', file, '--policies', policies]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}:1:1 /host missing required key "host"`);
  });

  it('exits 3 when a policy file that applies is broken (fail closed)', async () => {
    const target = await folder('broken-applies', { 'broken.xml': BROKEN_POLICY });
    const file = path.join(dir, 'payroll.json');
    await writeFile(file, '{"name": "payroll", "host": "ftp.corp.example"}');
    const result = await runCli(['resolve', file, '--policies', target]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`policy file ${path.join(target, 'broken.xml')} is unusable`);
  });

  it('takes the policy folder from FTPSCTL_POLICY_DIR', async () => {
    const result = await runCli(['resolve', path.join(profiles, 'vendor-drop.json'), '--json'], {
      env: { FTPSCTL_POLICY_DIR: policies },
    });
    expect(result.code).toBe(4);
  });

  it('refuses when FTPSCTL_POLICY_DIR names a folder that does not exist', async () => {
    const result = await runCli(['resolve', path.join(profiles, 'explicit.json')], {
      env: { FTPSCTL_POLICY_DIR: path.join(dir, 'nope') },
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('not found; check the path given to --policies (or FTPSCTL_POLICY_DIR)');
  });
});
