/**
 * Review (Group Policy): how a Registry.pol ranks against the XML policy files of its scope.
 *
 * The promise (README "3. What ftpsctl reads"): "A Registry.pol ranks above the XML policy files
 * of the same scope". registry-policy.ts gives it priority 999,999 "so it outranks local XML
 * policy files of the same scope (whose priorities go up to 999999)".
 *
 * Found: 999,999 is also the highest priority an XML file may declare (policy-document.ts:
 * "0 to 999999"), so an XML file at 999999 TIES with Group Policy instead of losing to it: for an
 * unordered setting the tie is a contradiction that refuses every session, and for an ordered
 * one the XML file's value wins whenever it is the more secure one.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildAdmx } from '../../src/policy/group-policy/build-admx';
import { loadPolicySet } from '../../src/policy/load-policy-set';
import { resolveProfile } from '../../src/resolve/resolve-profile';
import type { SessionProfile } from '../../src/settings/generated/session-profile';
import { GroupPolicyEditor } from '../helpers/group-policy-editor';
import { policyDocument } from '../helpers/policy-folder';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ftpsctl-review-gpo-rank-'));
  await chmod(root, 0o755);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const PROFILE: SessionProfile = { name: 'payroll', host: 'ftp.corp.example', user: 'alice', password: { env: 'PW' } };

async function folder(registryPol: Buffer, xml: string): Promise<string> {
  await mkdir(path.join(root, 'Machine'), { mode: 0o755 });
  const pol = path.join(root, 'Machine', 'Registry.pol');
  await writeFile(pol, registryPol, { mode: 0o644 });
  await writeFile(path.join(root, 'local.xml'), xml, { mode: 0o644 });
  return pol;
}

it('Group Policy wins over an XML file of the same scope at the highest XML priority (unordered setting)', async () => {
  const pol = await folder(
    new GroupPolicyEditor(buildAdmx().admx).set('network_passiveMode', { enabled: true, value: 'epsv' }).registryPol(),
    policyDocument(
      'local',
      '<setting path="network.passiveMode" enforce="mandatory">pasv</setting>',
      'scope="machine" priority="999999"',
    ),
  );
  const set = await loadPolicySet([root]);
  expect(set.failures).toEqual([]);
  expect(set.policies).toHaveLength(2);
  const resolution = resolveProfile({ raw: PROFILE }, set);
  expect(resolution.violations).toEqual([]);
  expect(resolution.decision).toBe('allow');
  expect(resolution.settings['network.passiveMode']).toMatchObject({
    value: 'epsv',
    policy: 'group-policy-machine',
    file: pol,
  });
});

it('Group Policy wins over an XML file of the same scope at the highest XML priority (ordered setting)', async () => {
  const pol = await folder(
    new GroupPolicyEditor(buildAdmx().admx)
      .set('network_idleTimeoutMs', { enabled: true, value: 120000 })
      .registryPol(),
    policyDocument(
      'local',
      '<setting path="network.idleTimeoutMs" enforce="mandatory">30000</setting>',
      'scope="machine" priority="999999"',
    ),
  );
  const set = await loadPolicySet([root]);
  const resolution = resolveProfile({ raw: PROFILE }, set);
  expect(resolution.settings['network.idleTimeoutMs']).toMatchObject({
    value: 120000,
    policy: 'group-policy-machine',
    file: pol,
  });
  expect(resolution.conflicts).toEqual([]);
});
