/**
 * Review (batch 2, Registry.pol rank, policy-rank.ts / load-policy-set.ts capRank): a Registry.pol
 * now ranks 1000000, above any XML file (0..999999) of its scope. DESIGN: "A policy's rank is
 * capped by its source: files from a folder the user names rank as user scope at most, whatever
 * `scope`/`priority` they claim."
 *
 * Found: capRank caps the scope only. A Registry.pol in a folder the user names (--policies,
 * $FTPSCTL_POLICY_DIR) ranks as user scope at priority 1000000, above every user-scope policy of
 * the machine folder, including one at 999999, the highest an admin can write. A user's own XML
 * file can at best tie with that policy (an unordered mandatory value: a contradiction, the
 * session refused); copied into a Registry.pol it wins outright.
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
  root = await mkdtemp(path.join(tmpdir(), 'ftpsctl-review-gpo-user-source-'));
  await chmod(root, 0o755);
});
afterEach(() => rm(root, { recursive: true, force: true }));

const PROFILE: SessionProfile = { name: 'payroll', host: 'ftp.corp.example', user: 'alice', password: { env: 'PW' } };

it("a Registry.pol in a folder the user names does not outrank the machine folder's user-scope policy at 999999", async () => {
  const machine = path.join(root, 'machine');
  await mkdir(machine, { mode: 0o755 });
  await writeFile(
    path.join(machine, 'defaults.xml'),
    policyDocument(
      'defaults',
      '<setting path="network.passiveMode" enforce="mandatory">epsv</setting>',
      'scope="user" priority="999999"',
    ),
    { mode: 0o644 },
  );
  const mine = path.join(root, 'mine');
  await mkdir(path.join(mine, 'User'), { recursive: true, mode: 0o755 });
  await writeFile(
    path.join(mine, 'User', 'Registry.pol'),
    new GroupPolicyEditor(buildAdmx().admx).set('network_passiveMode', { enabled: true, value: 'pasv' }).registryPol(),
    { mode: 0o644 },
  );
  const set = await loadPolicySet([
    { path: machine, kind: 'machine', origin: 'machine folder' },
    { path: mine, kind: 'user', origin: '--policies' },
  ]);
  expect(set.failures).toEqual([]);
  expect(set.policies.map((p) => [p.name, p.scope])).toEqual(
    expect.arrayContaining([
      ['defaults', 'user'],
      ['group-policy-user', 'user'],
    ]),
  );
  const resolution = resolveProfile({ raw: PROFILE }, set);
  // As with the same value in a user XML file at 999999: never the user's value over the admin's.
  expect(resolution.settings['network.passiveMode']?.policy).not.toBe('group-policy-user');
});
