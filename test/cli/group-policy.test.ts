/**
 * Group Policy through the built binary (issue 15): `policy admx`, Registry.pol in a policy
 * folder (resolve, policy show), `policy import`, and `audit sessions` over several logs.
 * Needs `npm run build` (or build:dist) first, like every test/cli suite.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { resolutionSha256 } from '../../src/session/audit-events';
import type { Resolution } from '../../src/resolve/resolution';
import { GroupPolicyEditor } from '../helpers/group-policy-editor';
import { binary, runCli } from '../helpers/run-cli';

// Each test runs the binary several times (about a second each on this machine).
jest.setTimeout(60_000);

let dir: string;
let admxText: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ftpsctl-gpo-cli-'));
  await chmod(dir, 0o755);
  const result = await runCli(['policy', 'admx', '--out', path.join(dir, 'PolicyDefinitions')]);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  admxText = await readFile(path.join(dir, 'PolicyDefinitions', 'ftpsctl.admx'), 'utf8');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const PROFILE = {
  name: 'payroll',
  host: 'ftp.corp.example',
  user: 'alice',
  password: { env: 'PW' },
  tls: { minVersion: 'TLSv1.2', fipsMode: false },
};

/** A policy folder holding Machine/Registry.pol with these bytes (and optional XML files). */
async function gpoFolder(name: string, registryPol: Buffer, xml: Record<string, string> = {}): Promise<string> {
  const folder = path.join(dir, name);
  await mkdir(path.join(folder, 'Machine'), { recursive: true, mode: 0o755 });
  await writeFile(path.join(folder, 'Machine', 'Registry.pol'), registryPol, { mode: 0o644 });
  for (const [file, text] of Object.entries(xml)) await writeFile(path.join(folder, file), text, { mode: 0o644 });
  return folder;
}

async function profileFile(): Promise<string> {
  const file = path.join(dir, 'payroll.json');
  await writeFile(file, JSON.stringify(PROFILE));
  return file;
}

const editor = (): GroupPolicyEditor => new GroupPolicyEditor(admxText);

describe('ftpsctl policy admx', () => {
  it('writes ftpsctl.admx and en-US/ftpsctl.adml that parse, with every string the ADMX uses', async () => {
    const adml = await readFile(path.join(dir, 'PolicyDefinitions', 'en-US', 'ftpsctl.adml'), 'utf8');
    expect(XMLValidator.validate(admxText)).toBe(true);
    expect(XMLValidator.validate(adml)).toBe(true);
    const ids = new Set([...adml.matchAll(/<(?:string|presentation) id="([^"]+)"/g)].map((m) => m[1]));
    const missing = [...admxText.matchAll(/\$\((?:string|presentation)\.([^)]+)\)/g)]
      .map((m) => m[1])
      .filter((id) => !ids.has(id));
    expect(missing).toEqual([]);
    expect(admxText).toContain('<policy name="tls_fipsMode" class="Machine"');
  });

  it('--json names the files; a --out that is a file is a usage error (exit 2)', async () => {
    const json = await runCli(['policy', 'admx', '--out', path.join(dir, 'again'), '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      admx: path.join(dir, 'again', 'ftpsctl.admx'),
      adml: path.join(dir, 'again', 'en-US', 'ftpsctl.adml'),
      policies: expect.any(Number),
    });
    await writeFile(path.join(dir, 'a-file'), 'x');
    const bad = await runCli(['policy', 'admx', '--out', path.join(dir, 'a-file')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `cannot write the template to ${path.join(dir, 'a-file')}: not a directory (ENOTDIR); give --out a folder you can write`,
    );
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('Registry.pol in a policy folder', () => {
  it('resolve: the forced values, with the file and registry value as their source (the round trip through the CLI)', async () => {
    const folder = await gpoFolder(
      'round-trip',
      editor()
        .set('tls_fipsMode', { enabled: true })
        .set('tls_minVersion_floor', { enabled: true, value: 'TLSv1.3' })
        .set('host_allow', { enabled: true, value: ['*.corp.example'] })
        .registryPol(),
    );
    const pol = path.join(folder, 'Machine', 'Registry.pol');
    const profile = await profileFile();
    const text = await runCli(['resolve', profile, '--policies-only', folder]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `tls\\.fipsMode +true \\(profile: false\\) +${escape(pol)}: Software\\\\Policies\\\\ftpsctl!tls\\.fipsMode \\(group-policy-machine, mandatory\\) +overridden`,
      ),
    );
    expect(text.stdout).toMatch(
      new RegExp(
        `tls\\.minVersion +TLSv1\\.3 \\(profile: TLSv1\\.2\\) +${escape(pol)}: Software\\\\Policies\\\\ftpsctl\\\\Floor!tls\\.minVersion \\(group-policy-machine, floor\\) +raised`,
      ),
    );
    const json = await runCli(['resolve', profile, '--policies-only', folder, '--json']);
    const resolution = JSON.parse(json.stdout) as {
      decision: string;
      settings: Record<string, { value: unknown; file?: string; registryValue?: string }>;
    };
    expect(resolution.decision).toBe('allow');
    expect(resolution.settings['tls.fipsMode']).toMatchObject({
      value: true,
      file: pol,
      registryValue: 'Software\\Policies\\ftpsctl!tls.fipsMode',
    });
    // The hash session audit events carry (ftpsctl.resolution_sha256), over the resolution printed.
    const { resolution_sha256: printed, ...rest } = JSON.parse(json.stdout) as Resolution & {
      resolution_sha256: string;
    };
    expect(printed).toBe(resolutionSha256(rest));
  });

  it.each([
    [
      'a truncated record',
      (b: Buffer) => b.subarray(0, b.length - 5),
      /Registry\.pol at byte \d+: the record starting at byte 8 \(Software\\Policies\\ftpsctl!tls\.fipsMode\) says its data is 4 bytes, but only 1 byte is left/,
    ],
    [
      'an odd-length UTF-16 key',
      (b: Buffer) => b.subarray(0, 8 + 2 + 7),
      /Registry\.pol at byte \d+: the record starting at byte 8 is truncated: its key \(from byte 10\) has no terminating NUL before the file ends \(an odd number of UTF-16 bytes\)/,
    ],
    [
      'a bad signature',
      (b: Buffer) => Buffer.concat([Buffer.from('XReg'), b.subarray(4)]),
      /at byte 0: does not start with the PReg signature/,
    ],
    [
      'version 2',
      (b: Buffer) => Buffer.concat([b.subarray(0, 4), Buffer.from([2, 0, 0, 0]), b.subarray(8)]),
      /at byte 4: has PReg version 2/,
    ],
  ])(
    'a Registry.pol with %s refuses the session: exit 3, naming the file and the byte offset',
    async (name, damage, message) => {
      const folder = await gpoFolder(
        `broken-${name.replace(/\W+/g, '-')}`,
        damage(editor().set('tls_fipsMode', { enabled: true }).registryPol()),
      );
      const result = await runCli(['resolve', await profileFile(), '--policies-only', folder]);
      expect(result.code).toBe(3);
      expect(result.stdout).toContain(`policy file ${path.join(folder, 'Machine', 'Registry.pol')} is unusable`);
      expect(result.stdout).toMatch(message);
    },
  );

  it('an unknown value is a warning with its byte offset; the session is allowed', async () => {
    const folder = await gpoFolder(
      'unknown',
      editor()
        .set('transfer_verify', { enabled: true, value: 'hash' })
        .raw({ key: 'Software\\Policies\\ftpsctl', valueName: 'tls.fipsMod', type: 4, data: 1 })
        .registryPol(),
    );
    const result = await runCli(['resolve', await profileFile(), '--policies-only', folder]);
    expect(result.code).toBe(0);
    expect(`${result.stdout}${result.stderr}`).toMatch(
      /Registry\.pol at byte \d+: unknown value Software\\Policies\\ftpsctl!tls\.fipsMod; not read \(did you mean Software\\Policies\\ftpsctl!tls\.fipsMode\?/,
    );
  });

  it('policy import writes XML that policy validate accepts and that resolves the same', async () => {
    const folder = await gpoFolder(
      'import',
      editor()
        .set('tls_fipsMode', { enabled: true })
        .set('transfer_verify_recommended', { enabled: true, value: 'hash' })
        .set('network_connectTimeoutMs', { enabled: true, value: 20000 })
        .set('host_deny', { enabled: true, value: ['*.bad.example'] })
        .registryPol(),
    );
    const pol = path.join(folder, 'Machine', 'Registry.pol');
    const out = path.join(dir, 'imported', 'group-policy.xml');
    await mkdir(path.dirname(out), { recursive: true });
    const imported = await runCli(['policy', 'import', pol, '--out', out]);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toContain(
      `wrote ${out}: policy group-policy-machine (machine scope, priority 999999), 4 settings`,
    );
    const again = await runCli(['policy', 'import', pol, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists; use --force');
    const validate = await runCli(['policy', 'validate', '--policies-only', path.dirname(out)]);
    expect(validate.code).toBe(0);

    const profile = await profileFile();
    const fromPol = JSON.parse((await runCli(['resolve', profile, '--policies-only', folder, '--json'])).stdout) as {
      settings: Record<string, { value: unknown; status: string; enforce?: string }>;
    };
    const fromXml = JSON.parse(
      (await runCli(['resolve', profile, '--policies-only', path.dirname(out), '--json'])).stdout,
    ) as typeof fromPol;
    const effective = (r: typeof fromPol) =>
      Object.fromEntries(Object.entries(r.settings).map(([k, s]) => [k, [s.value, s.status, s.enforce]]));
    expect(effective(fromXml)).toEqual(effective(fromPol));
    expect(fromXml.settings['transfer.verify']).toMatchObject({
      value: 'hash',
      status: 'applied',
      enforce: 'recommended',
    });
  });

  it('policy import of a malformed file: exit 3, the byte offset, nothing written', async () => {
    const folder = await gpoFolder(
      'import-broken',
      editor().set('tls_fipsMode', { enabled: true }).registryPol().subarray(0, 30),
    );
    const out = path.join(dir, 'never.xml');
    const result = await runCli(['policy', 'import', path.join(folder, 'Machine', 'Registry.pol'), '--out', out]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/Registry\.pol at byte \d+: the record starting at byte 8 is truncated/);
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
  });

  it('policy show merges XML and Registry.pol: enforcement, scope, status, source, and the conflicts', async () => {
    const xml = `<?xml version="1.0"?>
<policy xmlns="urn:ftpsctl:policy:1" name="local" scope="machine" priority="100">
  <setting path="transfer.verify" enforce="mandatory">size</setting>
  <setting path="tls.fipsMode" enforce="mandatory">true</setting>
</policy>
`;
    const folder = await gpoFolder(
      'show',
      editor()
        .set('transfer_verify', { enabled: true, value: 'hash' })
        .set('tls_fipsMode', { enabled: true })
        .registryPol(),
      { '10-local.xml': xml },
    );
    const pol = path.join(folder, 'Machine', 'Registry.pol');
    const text = await runCli(['policy', 'show', '--policies-only', folder]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      new RegExp(
        `transfer\\.verify +hash +mandatory +machine +active +all +group-policy-machine \\(${escape(pol)}: Software\\\\Policies\\\\ftpsctl!transfer\\.verify\\)`,
      ),
    );
    expect(text.stdout).toMatch(
      new RegExp(
        `transfer\\.verify +size +mandatory +machine +overridden +all +local \\(${escape(path.join(folder, '10-local.xml'))}:3\\)`,
      ),
    );
    expect(text.stdout).toMatch(/tls\.fipsMode +true +mandatory +machine +superseded/);
    const json = JSON.parse((await runCli(['policy', 'show', '--policies-only', folder, '--json'])).stdout) as {
      values: Array<Record<string, unknown>>;
    };
    expect(json.values).toContainEqual(
      expect.objectContaining({
        path: 'transfer.verify',
        policy: 'group-policy-machine',
        format: 'registry.pol',
        registryValue: 'Software\\Policies\\ftpsctl!transfer.verify',
        status: 'active',
      }),
    );
  });

  it('policy show: two policies of equal rank that disagree are listed as a conflict', async () => {
    const policy = (name: string, verify: string): string =>
      `<policy xmlns="urn:ftpsctl:policy:1" name="${name}" scope="user" priority="5"><setting path="transfer.verify" enforce="mandatory">${verify}</setting></policy>\n`;
    const folder = path.join(dir, 'conflict');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'a.xml'), policy('a', 'size'));
    await writeFile(path.join(folder, 'b.xml'), policy('b', 'hash'));
    const result = await runCli(['policy', 'show', '--policies-only', folder]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /conflicts between sources:\n {2}conflict: transfer\.verify: .*the more secure value hash wins over size/,
    );
  });
});

describe('ftpsctl audit sessions', () => {
  const event = (
    action: string,
    id: string,
    profile: string,
    at: string,
    extra: Record<string, unknown> = {},
  ): string =>
    JSON.stringify({
      '@timestamp': at,
      event: { action, ...(extra.event as object) },
      ftpsctl: { session_id: id, profile, bytes: 7 },
      server: { address: '127.0.0.1', port: 21 },
      ...(extra.rest as object),
    });

  async function logs(): Promise<[string, string]> {
    const a = path.join(dir, 'a.jsonl');
    const b = path.join(dir, 'b.jsonl');
    await writeFile(
      a,
      [
        event('session.start', 's1', 'payroll', '2026-11-25T10:00:00Z'),
        event('session.end', 's1', 'payroll', '2026-11-25T10:00:01Z', { event: { outcome: 'success' } }),
      ].join('\n') + '\n',
    );
    await writeFile(
      b,
      [
        event('session.start', 's1', 'payroll', '2026-11-25T10:00:00Z'),
        event('session.end', 's1', 'payroll', '2026-11-25T10:00:01Z', { event: { outcome: 'success' } }),
        event('session.start', 's2', 'vendor', '2026-11-27T10:00:00Z'),
        event('session.end', 's2', 'vendor', '2026-11-27T10:00:05Z', {
          event: { outcome: 'failure' },
          rest: { error: { code: 'FTPSCTL_ERR_CERT_EXPIRED' } },
        }),
        'not json',
      ].join('\n') + '\n',
    );
    return [a, b];
  }

  it('lists the sessions of several logs one per line (a session in two logs once), with the counts and bad lines', async () => {
    const [a, b] = await logs();
    const result = await runCli(['audit', 'sessions', a, b]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(
      `${a}, ${b}: 2 sessions, 4 events, 2026-11-25T10:00:00Z .. 2026-11-27T10:00:05Z`,
    );
    expect(result.stdout).toMatch(/2026-11-25T10:00:00Z +payroll +success +127\.0\.0\.1:21 .* s1\n/);
    expect(result.stdout).toMatch(
      /2026-11-27T10:00:00Z +vendor +failure +127\.0\.0\.1:21 .*FTPSCTL_ERR_CERT_EXPIRED +s2\n/,
    );
    expect(result.stdout).toContain(`${b} line 5: not JSON`);
  });

  it('filters by profile, outcome and time; writes CSV and JSON', async () => {
    const [a, b] = await logs();
    const csv = await runCli([
      'audit',
      'sessions',
      a,
      b,
      '--outcome',
      'failure',
      '--since',
      '2026-11-26',
      '--format',
      'csv',
    ]);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatch(/^2026-11-27T10:00:00Z,vendor,failure,/);
    const json = await runCli([
      'audit',
      'sessions',
      a,
      b,
      '--profile',
      'pay*',
      '--until',
      '2026-11-26T00:00:00Z',
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      sessions: [{ sessionId: 's1', profile: 'payroll', outcome: 'success' }],
      filter: { profiles: ['pay*'], until: '2026-11-26T00:00:00.000Z' },
    });
  });

  it('reads standard input with "-"', async () => {
    const [a] = await logs();
    const text = await readFile(a, 'utf8');
    const result = await new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [binary, 'audit', 'sessions', '-', '--format', 'json'],
        (error, stdout) => resolve({ code: error ? Number(error.code) : 0, stdout }),
      );
      child.stdin?.end(text);
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ summary: { files: ['-'], sessions: 1 } });
  });

  it.each([
    [['--since', 'yesterday'], /--since "yesterday" is not a time/],
    [['--since', '2026-11-27', '--until', '2026-11-26'], /is not before --until/],
    [['--outcome', 'maybe'], /maybe/],
  ])('%j is a usage error (exit 2)', async (flags, message) => {
    const [a] = await logs();
    const result = await runCli(['audit', 'sessions', a, ...flags]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('a missing log is exit 3 naming it', async () => {
    const result = await runCli(['audit', 'sessions', path.join(dir, 'nope.jsonl')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `cannot read the audit log ${path.join(dir, 'nope.jsonl')}: it or its folder does not exist (ENOENT)`,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
