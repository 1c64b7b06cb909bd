/**
 * Review (batch 2, resolution_sha256, audit-events.ts resolutionSha256/absoluteFiles): "The hash
 * an auditor reproduces with `ftpsctl resolve --json` from any folder: policy files (every
 * `file` member: the policies, the settings' origins) are named by their absolute path".
 *
 * Found:
 *  - absoluteFiles rewrites EVERY string member named `file`, also inside setting values: a
 *    profile's secret source `password: { file: "pw.txt" }` is made absolute against the working
 *    folder, so the same profile and policies hash differently from each folder (the opposite of
 *    what the rewrite is for).
 *  - Absolute is not canonical: the same policy folder reached through a symbolic link (a
 *    /etc/ftpsctl/policies that links to a config-management checkout) hashes differently from
 *    its real path, although load-policy-set.ts treats both as one file (device and inode).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emptyPolicySet } from '../../src/policy/policy-set';
import { loadPolicySet } from '../../src/policy/load-policy-set';
import { resolveProfile } from '../../src/resolve/resolve-profile';
import { resolutionSha256 } from '../../src/session/audit-events';
import type { SessionProfile } from '../../src/settings/generated/session-profile';
import { policyDocument } from '../helpers/policy-folder';

let dir: string;
const cwd = process.cwd();
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-hash-'));
  chmodSync(dir, 0o755);
});
afterEach(() => {
  process.chdir(cwd);
  rmSync(dir, { recursive: true, force: true });
});

it('a profile whose password is read from a relative file hashes alike from any working folder', () => {
  const raw: SessionProfile = {
    name: 'payroll',
    host: 'ftp.corp.example',
    user: 'alice',
    password: { file: 'pw.txt' },
  };
  const resolution = resolveProfile({ raw }, emptyPolicySet());
  mkdirSync(path.join(dir, 'a'));
  mkdirSync(path.join(dir, 'b'));
  process.chdir(path.join(dir, 'a'));
  const fromA = resolutionSha256(resolution);
  process.chdir(path.join(dir, 'b'));
  const fromB = resolutionSha256(resolution);
  expect(fromB).toBe(fromA);
});

it('a policy folder named through a symbolic link hashes like its real path', async () => {
  const real = path.join(dir, 'checkout', 'policies');
  mkdirSync(real, { recursive: true, mode: 0o755 });
  writeFileSync(
    path.join(real, 'tls.xml'),
    policyDocument('tls', '<setting path="tls.minVersion" enforce="mandatory">TLSv1.3</setting>'),
    { mode: 0o644 },
  );
  const link = path.join(dir, 'policies');
  symlinkSync(real, link);
  const raw: SessionProfile = { name: 'payroll', host: 'ftp.corp.example', user: 'alice', password: { env: 'PW' } };
  const viaReal = resolveProfile({ raw }, await loadPolicySet([real]));
  const viaLink = resolveProfile({ raw }, await loadPolicySet([link]));
  expect(viaLink.settings['tls.minVersion']?.value).toBe('TLSv1.3');
  expect(resolutionSha256(viaLink)).toBe(resolutionSha256(viaReal));
});
