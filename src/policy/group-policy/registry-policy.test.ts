import { GroupPolicyEditor } from '../../../test/helpers/group-policy-editor';
import { buildAdmx } from './build-admx';
import {
  REG_BINARY,
  REG_DWORD,
  REG_EXPAND_SZ,
  REG_SZ,
  writeRegistryPol,
  type RegistryRecordToWrite,
} from './registry-pol';
import { GROUP_POLICY_PRIORITY, registryPolToPolicy } from './registry-policy';
import { registryPolScope } from './read-registry-pol';

const FILE = '/gp/Machine/Registry.pol';
const KEY = 'Software\\Policies\\ftpsctl';
const admx = buildAdmx().admx;
const read = (records: RegistryRecordToWrite[]) => registryPolToPolicy(writeRegistryPol(records), FILE, 'machine');

describe('registryPolToPolicy', () => {
  test('every kind of ADMX element, as the editor stores it, becomes a typed setting', () => {
    const pin = 'ab'.repeat(32);
    const bytes = new GroupPolicyEditor(admx)
      .set('tls_fipsMode', { enabled: true })
      .set('tls_fipsMode_recommended', { enabled: false })
      .set('tls_encryptionStrength_floor', { enabled: true, value: '128' })
      .set('network_idleTimeoutMs_ceiling', { enabled: true, value: 120000 })
      .set('audit_logFile', { enabled: true, value: 'C:\\ProgramData\\ftpsctl\\audit.jsonl' })
      .set('tls_pki_pinnedSha256_recommended', { enabled: true, value: [pin] })
      .registryPol();
    const result = registryPolToPolicy(bytes, FILE, 'machine');
    expect(result.problems).toEqual([]);
    expect(result.policy?.settings.map((s) => [s.path, s.enforce, s.value])).toEqual([
      ['tls.encryptionStrength', 'floor', 128],
      ['tls.fipsMode', 'mandatory', true],
      ['tls.fipsMode', 'recommended', false],
      ['tls.pki.pinnedSha256', 'recommended', [pin]],
      ['network.idleTimeoutMs', 'ceiling', 120000],
      ['audit.logFile', 'mandatory', 'C:\\ProgramData\\ftpsctl\\audit.jsonl'],
    ]);
  });

  test('typed values, catalog order, the registry value and byte offset on every setting', () => {
    const result = read([
      { key: KEY, valueName: 'transfer.verify', type: REG_SZ, data: 'hash' },
      { key: `${KEY}\\Recommended`, valueName: 'tls.fipsMode', type: REG_DWORD, data: 1 },
      { key: `${KEY}\\Floor`, valueName: 'tls.encryptionStrength', type: REG_SZ, data: '128' },
      { key: `${KEY}\\Ceiling`, valueName: 'network.idleTimeoutMs', type: REG_DWORD, data: 120000 },
      { key: `${KEY}\\Allow\\host`, valueName: '2', type: REG_SZ, data: '*.b.example' },
      { key: `${KEY}\\Allow\\host`, valueName: '1', type: REG_SZ, data: '*.a.example' },
    ]);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.policy).toMatchObject({
      name: 'group-policy-machine',
      scope: 'machine',
      priority: GROUP_POLICY_PRIORITY,
      appliesTo: { profiles: [], hosts: [] },
      file: FILE,
    });
    expect(result.policy?.settings).toEqual([
      {
        path: 'host',
        enforce: 'allow',
        globs: ['*.a.example', '*.b.example'],
        line: 0,
        column: 0,
        registryValue: `${KEY}\\Allow\\host`,
        offset: expect.any(Number),
      },
      {
        path: 'tls.encryptionStrength',
        enforce: 'floor',
        value: 128,
        line: 0,
        column: 0,
        registryValue: `${KEY}\\Floor!tls.encryptionStrength`,
        offset: expect.any(Number),
      },
      {
        path: 'tls.fipsMode',
        enforce: 'recommended',
        value: true,
        line: 0,
        column: 0,
        registryValue: `${KEY}\\Recommended!tls.fipsMode`,
        offset: expect.any(Number),
      },
      {
        path: 'network.idleTimeoutMs',
        enforce: 'ceiling',
        value: 120000,
        line: 0,
        column: 0,
        registryValue: `${KEY}\\Ceiling!network.idleTimeoutMs`,
        offset: expect.any(Number),
      },
      {
        path: 'transfer.verify',
        enforce: 'mandatory',
        value: 'hash',
        line: 0,
        column: 0,
        registryValue: `${KEY}!transfer.verify`,
        offset: 8,
      },
    ]);
  });

  test('keys and value names are case-insensitive, as in the registry', () => {
    const result = read([{ key: 'SOFTWARE\\policies\\FTPSCTL', valueName: 'TLS.FIPSMODE', type: REG_DWORD, data: 0 }]);
    expect(result.policy?.settings).toEqual([
      expect.objectContaining({ path: 'tls.fipsMode', enforce: 'mandatory', value: false }),
    ]);
  });

  test('**del., **delvals., **DeleteValues, **DeleteKeys and **soft. are applied in file order', () => {
    const result = read([
      { key: KEY, valueName: 'tls.fipsMode', type: REG_DWORD, data: 1 },
      { key: KEY, valueName: '**del.tls.fipsMode', type: REG_SZ, data: ' ' },
      { key: KEY, valueName: 'transfer.verify', type: REG_SZ, data: 'hash' },
      { key: KEY, valueName: 'tls.minVersion', type: REG_SZ, data: 'TLSv1.3' },
      { key: KEY, valueName: '**DeleteValues', type: REG_SZ, data: 'transfer.verify;tls.minVersion' },
      { key: `${KEY}\\Deny\\host`, valueName: '1', type: REG_SZ, data: '*.bad.example' },
      { key: `${KEY}\\Deny`, valueName: '**DeleteKeys', type: REG_SZ, data: 'host' },
      { key: `${KEY}\\Recommended`, valueName: 'transfer.resume', type: REG_DWORD, data: 1 },
      { key: `${KEY}\\Recommended`, valueName: '**delvals.', type: REG_SZ, data: ' ' },
      { key: KEY, valueName: 'transfer.parallel', type: REG_DWORD, data: 2 },
      { key: KEY, valueName: '**soft.transfer.parallel', type: REG_DWORD, data: 8 },
      { key: KEY, valueName: '**soft.transfer.resume', type: REG_DWORD, data: 0 },
    ]);
    expect(result.problems).toEqual([]);
    expect(result.policy?.settings.map((s) => [s.path, s.value])).toEqual([
      ['transfer.parallel', 2],
      ['transfer.resume', false],
    ]);
  });

  test("other products' values are not looked at; unknown ftpsctl values are warnings with their byte offset and a suggestion", () => {
    const result = read([
      {
        key: 'Software\\Policies\\Google\\Chrome',
        valueName: 'URLBlocklist',
        type: REG_BINARY,
        data: Buffer.from([1]),
      },
      { key: KEY, valueName: 'tls.fipsMod', type: REG_DWORD, data: 1 },
      { key: `${KEY}\\Recommended`, valueName: 'colour', type: REG_SZ, data: 'blue' },
      { key: KEY, valueName: '**secureKey', type: REG_DWORD, data: 1 },
    ]);
    expect(result.problems).toEqual([]);
    expect(result.policy?.settings).toEqual([]);
    const offsets = [...result.warnings.join('\n').matchAll(/at byte (\d+)/g)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(3);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^\/gp\/Machine\/Registry\.pol at byte \d+: special record Software\\Policies\\ftpsctl!\*\*secureKey is not one ftpsctl knows/,
      ),
      expect.stringMatching(
        /^\/gp\/Machine\/Registry\.pol at byte \d+: unknown value Software\\Policies\\ftpsctl!tls\.fipsMod; not read \(did you mean Software\\Policies\\ftpsctl!tls\.fipsMode\?/,
      ),
      expect.stringMatching(
        /unknown value Software\\Policies\\ftpsctl\\Recommended!colour; not read \(`ftpsctl policy admx`/,
      ),
    ]);
  });

  test.each([
    [
      'a boolean that is not 0 or 1',
      { key: KEY, valueName: 'tls.fipsMode', type: REG_DWORD, data: 2 },
      /Software\\Policies\\ftpsctl!tls\.fipsMode is REG_DWORD 2; tls_fipsMode is stored as REG_DWORD 1 \(enabled\) or 0 \(disabled\)/,
    ],
    [
      'a boolean stored as text',
      { key: KEY, valueName: 'tls.fipsMode', type: REG_SZ, data: 'true' },
      /is REG_SZ "true"; tls_fipsMode is stored as REG_DWORD/,
    ],
    [
      'an enum value the schema does not have',
      { key: KEY, valueName: 'tls.minVersion', type: REG_SZ, data: 'TLSv1.0' },
      /tls\.minVersion/,
    ],
    [
      'a number below the minimum',
      { key: KEY, valueName: 'network.connectTimeoutMs', type: REG_DWORD, data: 5 },
      /network\.connectTimeoutMs/,
    ],
    [
      'a number stored as text',
      { key: KEY, valueName: 'network.connectTimeoutMs', type: REG_SZ, data: '5000' },
      /is stored as REG_DWORD/,
    ],
    [
      'a path with unexpanded variables',
      { key: KEY, valueName: 'audit.logFile', type: REG_EXPAND_SZ, data: '%ProgramData%\\a.jsonl' },
      /is REG_EXPAND_SZ .*is stored as REG_SZ/,
    ],
    [
      'a bad host glob',
      { key: `${KEY}\\Allow\\host`, valueName: '1', type: REG_SZ, data: 'a b' },
      /host allow glob "a b" contains white space/,
    ],
    [
      'a list entry that is not text',
      { key: `${KEY}\\Deny\\host`, valueName: '1', type: REG_DWORD, data: 1 },
      /Deny\\host!1 is REG_DWORD; the entries of host_deny are REG_SZ/,
    ],
  ])('%s makes the file unusable, at the byte offset of its record', (_name, record, message) => {
    const result = read([
      { key: KEY, valueName: 'transfer.verify', type: REG_SZ, data: 'hash' },
      record as RegistryRecordToWrite,
    ]);
    expect(result.policy).toBeUndefined();
    expect(result.problems).toEqual([
      { file: FILE, line: null, column: null, message: expect.stringMatching(/^at byte \d+: /) },
    ]);
    expect(result.problems[0].message).toMatch(message);
    const offset = Number(/^at byte (\d+)/.exec(result.problems[0].message)?.[1]);
    expect(offset).toBeGreaterThan(8); // the second record, not the first
  });

  test('a malformed file is one problem at its byte offset, and no policy', () => {
    const result = registryPolToPolicy(Buffer.from('PReg\u0002\u0000\u0000\u0000', 'latin1'), FILE, 'user');
    expect(result.policy).toBeUndefined();
    expect(result.problems).toEqual([
      { file: FILE, line: null, column: null, message: 'at byte 4: has PReg version 2; only version 1 is defined' },
    ]);
  });
});

describe('registryPolScope', () => {
  test.each([
    ['/gp/Machine/Registry.pol', 'machine'],
    ['/gp/MACHINE/registry.pol', 'machine'],
    ['/gp/User/Registry.pol', 'user'],
    ['/gp/user/REGISTRY.POL', 'user'],
    ['/etc/ftpsctl/policies/Registry.pol', 'machine'],
    ['Registry.pol', 'machine'],
  ])('%s is %s scope', (file, scope) => {
    expect(registryPolScope(file)).toBe(scope);
  });
});

test('an object setting is stored as JSON text (REG_SZ) and read back as the object', () => {
  const value = { certFile: 'C:\\pki\\client.pem', keyFile: 'C:\\pki\\client.key' };
  const result = registryPolToPolicy(
    writeRegistryPol([
      {
        key: 'Software\\Policies\\ftpsctl',
        valueName: 'tls.pki.clientCertificate',
        type: REG_SZ,
        data: JSON.stringify(value),
      },
    ]),
    '/gp/Registry.pol',
    'machine',
  );
  expect(result.problems).toEqual([]);
  expect(result.policy?.settings).toEqual([
    expect.objectContaining({ path: 'tls.pki.clientCertificate', enforce: 'mandatory', value }),
  ]);
  const broken = registryPolToPolicy(
    writeRegistryPol([
      {
        key: 'Software\\Policies\\ftpsctl',
        valueName: 'tls.pki.clientCertificate',
        type: REG_SZ,
        data: '{"certFile": 1}',
      },
    ]),
    '/gp/Registry.pol',
    'machine',
  );
  expect(broken.policy).toBeUndefined();
  expect(broken.problems[0].message).toMatch(/^at byte 8: /);
});
