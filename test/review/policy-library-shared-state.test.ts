/**
 * Review (library): what the package exports for reading is the very state connect() enforces
 * with. `policyCatalog()` hands out the live Map, its entries and their `order` arrays (not
 * frozen), so a caller that reverses an order for display ("most secure first") turns every
 * floor into a ceiling for every later connect() of the process: a machine floor of TLSv1.3
 * then keeps a profile's TLSv1.2. RELIABILITY.md S2 made `session.prepared` a frozen copy for
 * the same reason; the catalog is the same kind of door.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listSettings, loadPolicySet, policyCatalog, resolveProfile } from '../../src/index';
import { policyDocument, writePolicyFolder } from '../helpers/policy-folder';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-catalog-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the exported catalog cannot change enforcement', () => {
  it('is frozen: entries and their value orders', () => {
    const entry = policyCatalog().get('tls.minVersion');
    expect(Object.isFrozen(entry)).toBe(true);
    expect(Object.isFrozen(entry?.order)).toBe(true);
    expect(Object.isFrozen(listSettings()[0])).toBe(true);
  });

  it('a caller reversing an order for display does not turn a machine floor into a ceiling', async () => {
    const folder = writePolicyFolder(dir, 'machine', {
      'floor.xml': policyDocument('tls13', '<setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>'),
    });
    const set = await loadPolicySet([{ path: folder, kind: 'machine', origin: 'machine folder' }]);
    const order = policyCatalog().get('tls.minVersion')?.order;
    let mostSecureFirst: unknown[] = [];
    try {
      // What a display helper might write: it mutates the shared array when it is not frozen.
      if (Array.isArray(order) && !Object.isFrozen(order)) mostSecureFirst = order.reverse();
    } catch {
      // A frozen order throws in strict mode: that is the fix.
    }
    try {
      const resolution = resolveProfile(
        { raw: { name: 'p', host: 'ftp.example.com', tls: { minVersion: 'TLSv1.2' } } },
        set,
      );
      // Found: "TLSv1.2", status "kept": the floor no longer raises anything.
      expect(resolution.settings['tls.minVersion'].value).toBe('TLSv1.3');
    } finally {
      if (mostSecureFirst.length > 0) mostSecureFirst.reverse();
    }
  });
});
