/**
 * Review (a machine policy read as empty): policy folders read `*.xml` case-sensitively, so an
 * administrator's `Baseline.XML` (Windows file names ignore case; Notepad and Group Policy
 * Preferences keep whatever case was typed) is skipped with a "note: ... not a policy file"
 * and every session runs without it. `Registry.pol` in the same folder is matched in any case
 * (read-registry-pol.ts isRegistryPolName), so the two readers disagree. DESIGN.md: "A policy
 * file that cannot be read, parsed or validated is an error that refuses the sessions it could
 * apply to. It is never skipped silently." A note that scrolls by is not a refusal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPolicySet, resolveProfile } from '../../src/index';
import { policyDocument, writePolicyFolder } from '../helpers/policy-folder';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-names-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it.each(['Baseline.XML', 'baseline.Xml'])(
  'a machine policy file named %s is enforced (or refuses), never skipped',
  async (name) => {
    const folder = writePolicyFolder(dir, name.replace(/\W/g, '-'), {
      [name]: policyDocument('baseline', '<setting path="host" enforce="deny"><value>*.evil.example</value></setting>'),
    });
    const set = await loadPolicySet([{ path: folder, kind: 'machine', origin: 'machine folder' }]);
    const resolution = resolveProfile({ raw: { name: 'p', host: 'ftp.evil.example' } }, set);
    // Found: decision "allow", and only the warning "... is not a policy file (*.xml); not read".
    expect(resolution.decision).toBe('refuse');
  },
);
