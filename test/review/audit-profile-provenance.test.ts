/**
 * Review (auditor's view): which profile file a session ran is not in its audit trail.
 * README: "Auditors see every resolved setting and where it came from"; "Every event carries
 * the profile, the SHA-256 of the resolution and of every policy file used, so an auditor can
 * tie a session to the exact policy set". The events name each policy file with its SHA-256,
 * but of the profile only its `name`: neither the file (Resolution.profileFile is known) nor
 * the SHA-256 of its bytes. The profile is the other input of resolution_sha256, so once it
 * is edited (or two folders hold a profile of that name) the auditor can neither reproduce
 * resolution_sha256 nor learn which settings the session ran with: every setting whose
 * source is `profile` or `default` has no trace anywhere.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect } from '../../src';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-audit-profile-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('session.start names the profile file (absolute path) and the SHA-256 of its bytes', async () => {
  const audit = path.join(dir, 'audit.jsonl');
  let profileFile = '';
  let profileSha256 = '';
  await withHostileProfile({ dir, pki, name: 'provenance', passwordEnv: 'PROVENANCE_PW' }, {}, async (profile) => {
    profileFile = realpathSync(profile);
    profileSha256 = createHash('sha256').update(readFileSync(profile)).digest('hex');
    const session = await connect(profile, {
      auditLogFiles: [audit],
      secrets: { env: { PROVENANCE_PW: 'Provenance-7a1d-secret' } },
    });
    await session.close();
  });
  const start = readFileSync(audit, 'utf8')
    .split('\n')
    .find((l) => l.includes('"session.start"'));
  expect(start).toBeDefined();
  expect(start).toContain(JSON.stringify(profileFile));
  expect(start?.toLowerCase()).toContain(profileSha256);
});
