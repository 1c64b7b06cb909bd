/**
 * The round trip of issue 15: generate the ADMX, store what the Group Policy editor writes for a
 * few enabled policies (from the ADMX's own keys and value names) as Machine/Registry.pol, load
 * the policy folder, resolve a profile, and get the forced values with their registry provenance.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GroupPolicyEditor } from '../../../test/helpers/group-policy-editor';
import { settingProvenance } from '../../audit/render-audit-rows';
import type { SessionProfile } from '../../settings/generated/session-profile';
import { describeSource } from '../../resolve/render-resolution';
import { resolveProfile } from '../../resolve/resolve-profile';
import { loadPolicySet } from '../load-policy-set';
import { buildAdmx } from './build-admx';
import { REG_DWORD } from './registry-pol';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ftpsctl-gpo-'));
  await chmod(root, 0o755);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const profile: SessionProfile = {
  name: 'payroll',
  host: 'ftp.corp.example',
  user: 'alice',
  password: { env: 'PW' },
  tls: { minVersion: 'TLSv1.2', fipsMode: false },
};

async function store(scopeFolder: string, bytes: Buffer): Promise<string> {
  await mkdir(path.join(root, scopeFolder), { mode: 0o755 });
  const file = path.join(root, scopeFolder, 'Registry.pol');
  await writeFile(file, bytes, { mode: 0o644 });
  return file;
}

test('ADMX -> Group Policy editor -> Registry.pol -> resolve: forced values with the file and registry value as provenance', async () => {
  const editor = new GroupPolicyEditor(buildAdmx().admx)
    .raw({
      key: 'Software\\Policies\\Microsoft\\Windows\\System',
      valueName: 'EnableSmartScreen',
      type: REG_DWORD,
      data: 1,
    })
    .set('tls_fipsMode', { enabled: true })
    .set('tls_minVersion_floor', { enabled: true, value: 'TLSv1.3' })
    .set('transfer_verify', { enabled: true, value: 'hash' })
    .set('network_connectTimeoutMs_recommended', { enabled: true, value: 20000 })
    .set('host_allow', { enabled: true, value: ['*.corp.example', '*.partner.example'] })
    .set('tls_clearCommandChannel', { enabled: false });
  expect(editor.location('tls_fipsMode')).toEqual({ key: 'Software\\Policies\\ftpsctl', valueName: 'tls.fipsMode' });
  const file = await store('Machine', editor.registryPol());

  const set = await loadPolicySet([root]);
  expect(set.failures).toEqual([]);
  expect(set.warnings).toEqual([]);
  expect(set.policies).toHaveLength(1);
  expect(set.policies[0]).toMatchObject({ name: 'group-policy-machine', scope: 'machine', file });

  const resolution = resolveProfile({ raw: profile }, set);
  expect(resolution.decision).toBe('allow');
  const s = resolution.settings;
  expect(s['tls.fipsMode']).toMatchObject({
    value: true,
    source: 'policy',
    status: 'overridden',
    profileValue: false,
    enforce: 'mandatory',
    policy: 'group-policy-machine',
    file,
    registryValue: 'Software\\Policies\\ftpsctl!tls.fipsMode',
  });
  expect(s['tls.minVersion']).toMatchObject({
    value: 'TLSv1.3',
    status: 'raised',
    enforce: 'floor',
    file,
    registryValue: 'Software\\Policies\\ftpsctl\\Floor!tls.minVersion',
  });
  expect(s['transfer.verify']).toMatchObject({
    value: 'hash',
    status: 'applied',
    enforce: 'mandatory',
    registryValue: 'Software\\Policies\\ftpsctl!transfer.verify',
  });
  expect(s['network.connectTimeoutMs']).toMatchObject({
    value: 20000,
    status: 'applied',
    enforce: 'recommended',
    registryValue: 'Software\\Policies\\ftpsctl\\Recommended!network.connectTimeoutMs',
  });
  expect(s['tls.clearCommandChannel']).toMatchObject({
    value: false,
    enforce: 'mandatory',
    registryValue: 'Software\\Policies\\ftpsctl!tls.clearCommandChannel',
  });
  expect(s.host).toMatchObject({
    value: 'ftp.corp.example',
    status: 'kept',
    constraints: [
      expect.objectContaining({
        enforce: 'allow',
        value: ['*.corp.example', '*.partner.example'],
        registryValue: 'Software\\Policies\\ftpsctl\\Allow\\host',
      }),
    ],
  });

  // The text resolve prints and the audit report's provenance name the file and the registry value.
  expect(describeSource(s['tls.fipsMode'])).toBe(
    `${file}: Software\\Policies\\ftpsctl!tls.fipsMode (group-policy-machine, mandatory)`,
  );
  expect(settingProvenance('tls.fipsMode', s['tls.fipsMode'])).toContainEqual([
    'registry value',
    `${file}: Software\\Policies\\ftpsctl!tls.fipsMode`,
  ]);

  // A host outside the allow list is refused, and the refusal names the registry value.
  const refused = resolveProfile({ raw: { ...profile, host: 'ftp.elsewhere.example' } }, set);
  expect(refused.decision).toBe('refuse');
  expect(refused.violations).toContainEqual(
    expect.objectContaining({
      path: 'host',
      registryValue: 'Software\\Policies\\ftpsctl\\Allow\\host',
      message: `host ftp.elsewhere.example is not allowed by policy group-policy-machine (${file}: Software\\Policies\\ftpsctl\\Allow\\host), which allows only *.corp.example, *.partner.example`,
    }),
  );
});

test('User/Registry.pol is user scope and loses to the machine scope', async () => {
  const admx = buildAdmx().admx;
  await store(
    'Machine',
    new GroupPolicyEditor(admx).set('transfer_verify', { enabled: true, value: 'hash' }).registryPol(),
  );
  const userFile = await store(
    'User',
    new GroupPolicyEditor(admx)
      .set('transfer_verify', { enabled: true, value: 'size' })
      .set('transfer_parallel', { enabled: true, value: 2 })
      .registryPol(),
  );
  const set = await loadPolicySet([root]);
  expect(set.failures).toEqual([]);
  expect(set.policies.map((p) => [p.name, p.scope])).toEqual([
    ['group-policy-machine', 'machine'],
    ['group-policy-user', 'user'],
  ]);
  const resolution = resolveProfile({ raw: profile }, set);
  expect(resolution.settings['transfer.verify']).toMatchObject({
    value: 'hash',
    policy: 'group-policy-machine',
    conflicts: [
      expect.objectContaining({ value: 'size', policy: 'group-policy-user', file: userFile, type: 'override' }),
    ],
  });
  expect(resolution.settings['transfer.parallel']).toMatchObject({
    value: 2,
    policy: 'group-policy-user',
    file: userFile,
  });
});

test('a policy enabled and then disabled in the editor is gone (**del. and **delvals. are honoured)', async () => {
  const editor = new GroupPolicyEditor(buildAdmx().admx)
    .set('tls_minVersion', { enabled: true, value: 'TLSv1.3' })
    .set('host_deny', { enabled: true, value: ['*.bad.example'] })
    .set('tls_minVersion', { enabled: false })
    .set('host_deny', { enabled: false });
  await store('Machine', editor.registryPol());
  const set = await loadPolicySet([root]);
  expect(set.failures).toEqual([]);
  expect(set.policies[0].settings).toEqual([]);
});

test('a malformed Registry.pol refuses every session, naming the file and the byte offset', async () => {
  const bytes = new GroupPolicyEditor(buildAdmx().admx).set('tls_fipsMode', { enabled: true }).registryPol();
  const file = await store('Machine', bytes.subarray(0, bytes.length - 3));
  const set = await loadPolicySet([root]);
  expect(set.policies).toEqual([]);
  expect(set.failures).toEqual([
    {
      file,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      problems: [
        {
          file,
          line: null,
          column: null,
          message: expect.stringMatching(/^at byte \d+: the record starting at byte 8 /),
        },
      ],
    },
  ]);
  const resolution = resolveProfile({ raw: profile }, set);
  expect(resolution.decision).toBe('refuse');
  expect(resolution.violations[0].message).toContain(`policy file ${file} is unusable (${file} at byte`);
});
