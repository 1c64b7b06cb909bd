/**
 * Review (batch 2, mirror name collisions, mirror.ts planDownload / storedPathKey): "two remote
 * names that one local file would hold ... the second is refused naming the first".
 *
 * Found: every listed entry claims its local name, also one the mirror then refuses itself
 * ("only files and folders are mirrored": a symbolic link, an unknown type). A file whose name
 * would be stored like that link's is refused as "written to the same local file as" an entry
 * that is never written: nothing would have collided, and the file is not mirrored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FtpsSession } from '../../src/engine/ftps-session';
import { planDownload } from '../../src/session/mirror';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-claims-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a symbolic link the mirror refuses does not take the local name of a file it would download', async () => {
  // A Latin-1 server: a\xff (a link) and a\xfe (a file) are both stored locally as a\uFFFD.
  const session = {
    listing: async () => ({
      entries: [
        { name: 'a\uDCFF', type: 'symlink', target: 'elsewhere' },
        { name: 'a\uDCFE', type: 'file', size: 3 },
      ],
      unparsed: [],
      warnings: [],
    }),
  } as unknown as FtpsSession;
  const plan = await planDownload(session, '', dir, { maxDepth: 10, maxEntries: 100 });
  // Since names that are not UTF-8 are refused for their own reason (a local name can't hold
  // their bytes), neither is refused as a collision with an entry that is never written.
  expect(plan.refused.map((r) => r.reason)).not.toContainEqual(expect.stringContaining('same local file'));
  expect(plan.refused).toContainEqual(
    expect.objectContaining({ path: 'a\uDCFE', reason: expect.stringContaining('not UTF-8') }),
  );
  expect(plan.transfers).toEqual([]);
});
