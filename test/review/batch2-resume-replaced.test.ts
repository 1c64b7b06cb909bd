/**
 * Review (batch 2, --resume, download-file.ts): "A part file is only continued when it can
 * still be the start of the remote file: when the remote file's modification time (the
 * mirror's listing, else MDTM) is later than the part file's, the remote file changed ... A part
 * kept after a failure takes the remote file's time, so a server clock ahead of ours doesn't
 * discard it."
 *
 * Found:
 *  - Only a LATER remote time discards the part. A kept part is dated exactly like the remote
 *    file, so any other time means another file; a replacement dated earlier (an upload that
 *    keeps the original's time: MFMT, rsync -t, FileZilla's "preserve timestamps", `mv` of an
 *    older file) is continued: the old file's head spliced to the new one's tail, exit 0.
 *  - `session get` (ManagedSession.download) passes no remoteModifiedAt and downloadFile asks MDTM
 *    only when a part already exists, so the part of a first attempt that fails is dated by the
 *    local clock, not like the remote file. With a server clock (or MDTM in local time) behind
 *    ours, a replacement made after the failure is still "earlier" than the part: spliced. (Ahead
 *    of ours, the part is discarded and the resume lost, the case the comment says is covered.)
 *
 * The fake session stands for the engine: RETR appends the remote bytes from the offset.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { downloadFile, partFileFor } from '../../src/session/download-file';
import { remoteFile } from './remote-file-fake';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-resume-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('mirror --resume: a remote file replaced by one dated earlier is downloaded whole, not spliced onto the old part', async () => {
  const local = path.join(dir, 'ledger.csv');
  const listed = new Date(Date.now() - 3_600_000);
  const remote = remoteFile('OLD-OLD-OLD-OLD-', listed, 8);
  // First run: cut after 8 bytes; the kept part is dated like the remote file.
  await expect(
    downloadFile(remote.session, 'ledger.csv', local, { resume: true, remoteModifiedAt: listed }),
  ).rejects.toThrow(/kept in/);
  expect(statSync(partFileFor(local)).mtime.getTime()).toBe(listed.getTime());
  // Replaced on the server by a file of the same size whose time was kept from a day before.
  remote.content = 'NEW-NEW-NEW-NEW-';
  remote.modifiedAt = new Date(listed.getTime() - 86_400_000);
  const result = await downloadFile(remote.session, 'ledger.csv', local, {
    resume: true,
    remoteModifiedAt: remote.modifiedAt,
  });
  expect(readFileSync(local, 'utf8')).toBe('NEW-NEW-NEW-NEW-');
  expect(remote.offsets).toEqual([0, 0]);
  expect(result.partDiscarded).toBeDefined();
});

it('session get --resume (no listing): a file replaced after the first attempt failed is downloaded whole, whatever the server clock', async () => {
  const local = path.join(dir, 'ledger.csv');
  // The server's clock is 2 hours behind ours; its file was written an hour ago (our time).
  const skew = -2 * 3_600_000;
  const remote = remoteFile('OLD-OLD-OLD-OLD-', new Date(Date.now() - 3_600_000 + skew), 8);
  // As ManagedSession.download calls it: no remoteModifiedAt.
  await expect(downloadFile(remote.session, 'ledger.csv', local, { resume: true })).rejects.toThrow(/kept in/);
  // (The part is dated by our clock: its time says nothing about the remote file's.)
  // Replaced now (our time), which the server's clock calls 2 hours ago.
  remote.content = 'NEW-NEW-NEW-NEW-';
  remote.modifiedAt = new Date(Date.now() + skew);
  await downloadFile(remote.session, 'ledger.csv', local, { resume: true });
  expect(readFileSync(local, 'utf8')).toBe('NEW-NEW-NEW-NEW-');
});
