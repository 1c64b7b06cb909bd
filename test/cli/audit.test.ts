import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli';

// Relative to the repository root (runCli's working directory), as an auditor would type them.
const PROFILES = 'examples/profiles';
const POLICIES = 'policies';
const AUDIT = ['audit', '--profiles', PROFILES, '--policies', POLICIES];

const EXPECTED: Array<[profile: string, file: string, decision: string]> = [
  ['partner-mtls', 'client-certificate.json', 'allow'],
  ['payroll', 'explicit.json', 'allow'],
  ['fips-gov', 'fips.json', 'allow'],
  ['legacy-implicit', 'implicit.json', 'allow'],
  ['branch-nat', 'nat.json', 'allow'],
  ['appliance-pinned', 'pinned.json', 'allow'],
  ['finance-proxy', 'proxy.json', 'allow'],
  ['vendor-drop', 'vendor-drop.json', 'refuse'],
];
// 4 example profiles override a value user-defaults recommends: counted since issue 10.
const SUMMARY = '8 profiles: 7 allowed, 1 refused, 0 invalid; 8 changed by policy; 4 override a recommended value';

interface Report {
  generatedAt: string;
  summary: Record<string, number>;
  profiles: Array<{
    file: string;
    resolution?: { profile: string; decision: string; settings: Record<string, { status: string; value: unknown }> };
    error?: { code: string };
  }>;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ftpsctl-audit-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ftpsctl audit', () => {
  it('prints a table row per example profile with its decision, then the summary, and exits 0 though one is refused', async () => {
    const result = await runCli(AUDIT);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^profile +file +decision +changed by policy +violations$/);
    for (const [profile, file, decision] of EXPECTED) {
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^${profile} +${PROFILES}/${file} +${decision} +\\S`)),
      );
    }
    expect(result.stdout).toMatch(/^finance-proxy +\S+ +allow +tls\.minVersion raised; 8 applied +0$/m);
    expect(result.stdout).toMatch(
      /^appliance-pinned +\S+ +allow +tls\.validateCertificateChain overridden; 7 applied +0$/m,
    );
    expect(result.stdout).toMatch(
      /^vendor-drop +\S+ +refuse +tls\.clearCommandChannel overridden; 7 applied +1: host drop\.vendor\.example\.net is denied by policy user-defaults \(policies\/90-user-defaults\.xml:9\): it matches \*\.example\.net$/m,
    );
    expect(lines.slice(-3)).toEqual(['', SUMMARY, '']);
  });

  it('writes CSV with a header and one row per profile', async () => {
    const result = await runCli([...AUDIT, '--format', 'csv']);
    expect(result.code).toBe(0);
    const rows = result.stdout.split('\r\n');
    expect(rows[0]).toBe('profile,file,decision,changed_count,changed_settings,violation_count,violations');
    expect(rows).toHaveLength(EXPECTED.length + 2);
    expect(rows.at(-1)).toBe('');
    expect(rows.slice(1, -1).map((row) => row.split(',').slice(0, 3))).toEqual(
      EXPECTED.map(([profile, file, decision]) => [profile, `${PROFILES}/${file}`, decision]),
    );
    expect(rows[8]).toMatch(/^vendor-drop,.*,1,host drop\.vendor\.example\.net is denied by policy user-defaults/);
  });

  it('prints the AuditReport as JSON, the same with --format json and --json', async () => {
    const [format, flag] = await Promise.all([runCli([...AUDIT, '--format', 'json']), runCli([...AUDIT, '--json'])]);
    expect([format.code, flag.code]).toEqual([0, 0]);
    const report = JSON.parse(format.stdout) as Report;
    const normalise = (text: string): string => text.replace(/"generatedAt": "[^"]+"/, '"generatedAt": "T"');
    expect(normalise(flag.stdout)).toBe(normalise(format.stdout));
    expect(report.summary).toEqual({
      allowed: 7,
      changedByPolicy: 8,
      invalid: 0,
      profiles: 8,
      refused: 1,
      rejectedRecommendations: 4,
      duplicateNames: 0,
    });
    expect(report.profiles.map((p) => [p.resolution?.profile, p.resolution?.decision])).toEqual(
      EXPECTED.map(([profile, , decision]) => [profile, decision]),
    );
    const proxy = report.profiles.find((p) => p.resolution?.profile === 'finance-proxy');
    expect(proxy?.resolution?.settings['tls.minVersion']).toMatchObject({
      value: 'TLSv1.3',
      status: 'raised',
      profileValue: 'TLSv1.2',
      policy: 'finance',
    });
  });

  it('writes the HTML report to --out and says where', async () => {
    const out = path.join(dir, 'audit.html');
    const result = await runCli([...AUDIT, '--format', 'html', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`wrote the html audit report of 8 profiles to ${out}\n`);
    const page = await readFile(out, 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const [profile, file, decision] of EXPECTED) {
      expect(page).toContain(
        `<tr data-profile="${profile}" data-file="${PROFILES}/${file}" data-decision="${decision}">`,
      );
    }
    expect(page).toContain(`<p class="summary-line">${SUMMARY}</p>`);
  });

  it('reports an invalid profile as a row, not an error', async () => {
    const profiles = path.join(dir, 'mixed');
    await mkdir(profiles);
    await writeFile(path.join(profiles, 'a-payroll.json'), '{"name": "payroll", "host": "ftp.corp.example"}');
    await writeFile(path.join(profiles, 'b-broken.json'), '{"name": "broken"}');
    await writeFile(path.join(profiles, 'notes.txt'), 'not a profile');
    const result = await runCli(['audit', '--profiles', profiles, '--policies', POLICIES]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.find((line) => line.startsWith('payroll '))).toMatch(/^payroll +\S+\/a-payroll\.json +allow +/);
    expect(lines.find((line) => line.startsWith('- '))?.replace(/ +/g, ' ')).toContain(
      `- ${path.join(profiles, 'b-broken.json')} invalid none 1: ${path.join(profiles, 'b-broken.json')}:1:1 /host missing required key "host"`,
    );
    expect(result.stdout).toContain('2 profiles: 1 allowed, 0 refused, 1 invalid; 1 changed by policy');
  });

  it('exits 3 with a clear message when the profiles folder does not exist', async () => {
    const missing = path.join(dir, 'nope');
    const result = await runCli(['audit', '--profiles', missing, '--policies', POLICIES]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`ftpsctl: profiles folder ${missing} not found; check the path given to --profiles\n`);
    const json = await runCli(['audit', '--profiles', missing, '--policies', POLICIES, '--json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'FTPSCTL_ERR_PROFILE_UNREADABLE', exitCode: 3 } });
  });

  it('exits 3 when --profiles names a file', async () => {
    const result = await runCli(['audit', '--profiles', `${PROFILES}/explicit.json`, '--policies', POLICIES]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('is not a folder');
  });

  it('exits 2 when --out cannot be written', async () => {
    const result = await runCli([...AUDIT, '--out', path.join(dir, 'no-such-folder', 'audit.csv')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `cannot write the report to ${path.join(dir, 'no-such-folder', 'audit.csv')}: it or its folder does not exist (ENOENT)`,
    );
  });

  it('says in --help that refused profiles do not fail the command', async () => {
    const result = await runCli(['audit', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain(
      'Refused and invalid profiles are findings of the report, not errors: the exit code is 0 whenever the report was written',
    );
  });
});
