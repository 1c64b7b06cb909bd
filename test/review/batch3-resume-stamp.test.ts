/**
 * Review (batch 3, --resume stamps, download-file.ts): "a part kept after a failure is stamped
 * with it (mtime and atime both set to it) ... so any other remote time means another file ...
 * never the old file's head spliced to the new one's tail."
 *
 * Found:
 *  - The stamp is recognised by atime === mtime, and reading a file moves its atime: on a
 *    relatime mount (Linux's default) the first read after the stamp does, because atime is not
 *    after mtime. `cat`, `sha256sum`, a backup or a virus scanner reading the kept part turns it
 *    into an "unstamped" part, compared by its last write (= the remote time it was stamped
 *    with): a replacement dated earlier (MFMT, rsync -t) is spliced again, the batch-2 defect.
 *  - A part stamped after a failure, then appended to by a resume that was killed (SIGTERM,
 *    a crash), keeps the stamp in its atime (writes don't move it) but counts as unstamped: the
 *    same earlier-dated replacement is spliced, although the remote time is still on the part.
 *
 * The fake session stands for the engine: RETR appends the remote bytes from the offset.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { downloadFile, partFileFor } from '../../src/session/download-file';
import { remoteFile } from './remote-file-fake';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review3-resume-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('a kept part that was read (atime moved, as relatime does on the first read) still refuses an earlier-dated replacement', async () => {
  const local = path.join(dir, 'ledger.csv');
  const dated = new Date(Date.now() - 3_600_000);
  const remote = remoteFile('OLD-OLD-OLD-OLD-', dated, 8);
  await expect(downloadFile(remote.session, 'ledger.csv', local, { resume: true })).rejects.toThrow(/kept in/);
  const part = partFileFor(local);
  expect(statSync(part).mtime.getTime()).toBe(dated.getTime());
  // `cat ledger.csv.ftpsctl-part`: on relatime (atime <= mtime) the kernel sets atime to now.
  // Set explicitly so the test does not depend on this machine's mount options.
  readFileSync(part);
  // (mtime given to the microsecond, as the kernel keeps it: a read never rewrites mtime.)
  utimesSync(part, new Date(), statSync(part).mtimeMs / 1000);
  // Replaced on the server by a file of the same size whose time was kept from a day before.
  remote.content = 'NEW-NEW-NEW-NEW-';
  remote.modifiedAt = new Date(dated.getTime() - 86_400_000);
  await downloadFile(remote.session, 'ledger.csv', local, { resume: true });
  expect(readFileSync(local, 'utf8')).toBe('NEW-NEW-NEW-NEW-');
  expect(remote.offsets).toEqual([0, 0]);
});

it('a stamped part appended to by a resume that was killed still refuses an earlier-dated replacement', async () => {
  const local = path.join(dir, 'ledger.csv');
  const dated = new Date(Date.now() - 3_600_000);
  const remote = remoteFile('OLD-OLD-OLD-OLD-', dated, 4);
  await expect(downloadFile(remote.session, 'ledger.csv', local, { resume: true })).rejects.toThrow(/kept in/);
  const part = partFileFor(local);
  expect(statSync(part).atime.getTime()).toBe(dated.getTime());
  // The resume appended 4 more bytes of the same file, then the process was killed (no settle, no stamp).
  appendFileSync(part, 'OLD-');
  expect(statSync(part).atime.getTime()).toBe(dated.getTime()); // the stamp is still there
  remote.content = 'NEW-NEW-NEW-NEW-';
  remote.modifiedAt = new Date(dated.getTime() - 86_400_000);
  await downloadFile(remote.session, 'ledger.csv', local, { resume: true });
  expect(readFileSync(local, 'utf8')).toBe('NEW-NEW-NEW-NEW-');
});
