/**
 * Review of today's D8 fix (library-catalog-views.ts): listSettings/findSetting/policyCatalog
 * now hand out frozen copies, but the package root still exports `profileSchema`, the parsed
 * schema object the enforced catalogs are built from. derefNode merges shallowly, so the
 * enforced catalog's `order` arrays ARE the schema's `x-policy.order` arrays: a caller that
 * reverses one (say, to show "most secure first") turns every floor into a ceiling for every
 * later connect() of the process, exactly the defect D8 closed through the other door.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPolicySet, profileSchema, resolveProfile } from '../../src/index';
import { policyDocument, writePolicyFolder } from '../helpers/policy-folder';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-schema-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Node = { $defs?: Record<string, Node>; properties?: Record<string, Node>; 'x-policy'?: { order?: unknown } };

it("a caller reversing profileSchema's tls.minVersion order does not turn a machine floor into a ceiling", async () => {
  const folder = writePolicyFolder(dir, 'machine', {
    'floor.xml': policyDocument('tls13', '<setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>'),
  });
  const set = await loadPolicySet([{ path: folder, kind: 'machine', origin: 'machine folder' }]);
  const order = (profileSchema as Node).$defs?.tls?.properties?.minVersion?.['x-policy']?.order;
  let reversed = false;
  try {
    // What a display helper might do with the schema the package exports.
    if (Array.isArray(order) && !Object.isFrozen(order)) {
      order.reverse();
      reversed = true;
    }
  } catch {
    // frozen: the fix
  }
  try {
    const resolution = resolveProfile(
      { raw: { name: 'p', host: 'ftp.example.com', tls: { minVersion: 'TLSv1.2' } } },
      set,
    );
    // Found: "TLSv1.2" kept: the floor no longer raises anything.
    expect(resolution.settings['tls.minVersion'].value).toBe('TLSv1.3');
  } finally {
    if (reversed && Array.isArray(order)) order.reverse();
  }
});
