/**
 * A download that never leaves a partial file under the final name: it goes to
 * `<name>.ftpsctl-part`, is verified, and only then renamed. With resume, an existing part
 * file is continued (REST).
 *
 * What happens to the part file when the download fails:
 *  - an integrity failure (FTPSCTL_ERR_VERIFY: wrong size, wrong hash, more bytes than
 *    announced) deletes it: its bytes can't be trusted, so nothing may continue from them;
 *  - any other failure (the network, the server, a timeout, a full disk) keeps it, and the
 *    error says so, so the user knows `--resume` continues from it rather than from zero.
 *
 * A part file is only continued when it can still be the start of the remote file. The remote
 * file's modification time (the mirror's listing, else MDTM, asked before every download) is what
 * tells: a part kept after a failure is stamped with it (its mtime and atime set to the remote time
 * plus STAMP_MARK_MS, a fraction of a millisecond no listing carries: reading the part moves only
 * its atime, a resume that appends and is killed only its mtime, so one of the two keeps the
 * stamp), and any other remote time means another file, whichever way the server's clock or an
 * upload that keeps times (MFMT, rsync -t) moved it. A part that was never stamped (the first
 * attempt was killed by SIGKILL or crashed; the CLI handles SIGINT, SIGTERM and SIGHUP) is
 * continued unless the remote file is newer than its last write: a replacement dated earlier
 * than that is the one case left to the size check. When the times say
 * another file, the part is discarded and the file downloaded whole (`partDiscarded` says why), never the old file's head
 * spliced to the new one's tail. Without any remote time (no MDTM, no listing time) the size check
 * is all there is. A part longer than the remote file fails FTPSCTL_ERR_VERIFY (file-transfer.ts).
 *
 * The part file's name is `<name>.ftpsctl-part`, or, when that would pass the 255-byte name
 * limit of Linux and Windows file systems, the name cut short with 8 hex digits of its SHA-256
 * (`partFileFor`): a 250-byte name downloads like any other.
 *
 * What is already on disk is never followed (lstat, O_NOFOLLOW): the download replaces only a
 * regular file (or nothing). A symbolic link, FIFO, device, socket or folder at `localPath`
 * or at its part file is refused with FTPSCTL_ERR_LOCAL_FILE before RETR, and `localPath`
 * again right before the rename (then the verified part file is kept and the error says so).
 */
import { createHash } from 'node:crypto';
import { lstat, lutimes, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { errnoInWords } from '../errors';
import { type FtpsSession, type TransferOptions, type TransferResult } from '../engine/ftps-session';
import { isFtpsctlError, SessionError } from '../errors';
import { refuseUnlessReplaceable } from './safe-local-path';

export const PART_SUFFIX = '.ftpsctl-part';
/** The longest file name (bytes) ext4, XFS, Btrfs, NTFS and APFS take. */
const NAME_MAX = 255;

/** The part file of a download to `localPath` (see the module comment). */
export function partFileFor(localPath: string): string {
  const name = path.basename(localPath);
  if (Buffer.byteLength(name + PART_SUFFIX) <= NAME_MAX) return `${localPath}${PART_SUFFIX}`;
  const tag = `~${createHash('sha256').update(name).digest('hex').slice(0, 8)}${PART_SUFFIX}`;
  // Cut on a character boundary: whole UTF-8 characters only.
  let kept = '';
  for (const character of name) {
    if (Buffer.byteLength(kept + character + tag) > NAME_MAX) break;
    kept += character;
  }
  return path.join(path.dirname(localPath), kept + tag);
}

/** A download's result, and why a part file was not continued. */
export interface DownloadResult extends TransferResult {
  /** Set when --resume found a part file that can't be the start of the remote file any more. */
  partDiscarded?: string;
}

export async function downloadFile(
  session: FtpsSession,
  remotePath: string,
  localPath: string,
  options: {
    resume: boolean;
    onProgress?: TransferOptions['onProgress'];
    remoteSize?: number;
    /** The remote file's modification time when known (a listing); else MDTM is asked before the download. */
    remoteModifiedAt?: Date;
  },
): Promise<DownloadResult> {
  const part = partFileFor(localPath);
  await refuseUnlessReplaceable(localPath, 'the download target');
  await refuseUnlessReplaceable(part, 'the part file');
  let offset = options.resume ? await sizeOf(part) : 0;
  // Asked now, not after a failure (the server may not answer then): a kept part is stamped with it.
  const remoteModifiedAt = options.remoteModifiedAt ?? (await session.modifiedAt(remotePath).catch(() => undefined));
  let partDiscarded: string | undefined;
  if (offset > 0) {
    const stamp = await partStamp(part);
    // Whole seconds: MDTM and most listings carry no more.
    const other =
      remoteModifiedAt !== undefined &&
      stamp !== undefined &&
      (stamp.stamped
        ? secondsOf(remoteModifiedAt) !== secondsOf(stamp.time)
        : secondsOf(remoteModifiedAt) > secondsOf(stamp.time));
    if (other) {
      partDiscarded = `the remote file (${remoteModifiedAt.toISOString()}) is not the one whose first ${offset} bytes are in ${part} (${stamp.stamped ? 'that file was dated' : 'written'} ${stamp.time.toISOString()}), so they can't be its start: downloaded it whole`;
      await unlink(part).catch((error: unknown) => {
        throw new SessionError(
          'FTPSCTL_ERR_LOCAL_FILE',
          `cannot delete the stale part file ${part}: ${errnoInWords(error)}`,
          {
            cause: error,
          },
        );
      });
      offset = 0;
    }
  }
  let result: TransferResult;
  try {
    // The hash covers the bytes that move now; after a resume the result says which (sha256Range),
    // rather than reading the part already on disk again (issue 11: 12 s for a 600-byte resume of 4 GiB).
    result = await session.get(remotePath, part, {
      offset,
      sha256: true,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.remoteSize !== undefined ? { remoteSize: options.remoteSize } : {}),
    });
  } catch (error) {
    // Only a time already known: after a failure the server may not answer another command.
    throw await settlePartFile(error, part, remoteModifiedAt);
  }
  const kept = `; the verified download is kept in ${part}`;
  // Both checked again right before the rename, without following links (the engine checked the part file's inode).
  await refuseUnlessReplaceable(part, 'the part file');
  await refuseUnlessReplaceable(localPath, 'the download target', kept);
  await rename(part, localPath).catch((error: unknown) => {
    throw new SessionError(
      'FTPSCTL_ERR_LOCAL_FILE',
      `cannot rename ${part} to ${localPath}: ${errnoInWords(error)}${kept}`,
      { cause: error },
    );
  });
  return partDiscarded ? { ...result, partDiscarded } : result;
}

/**
 * Deletes the part file after an integrity failure; otherwise keeps it, dated like the remote
 * file when its time is known, and says so in the error.
 */
async function settlePartFile(error: unknown, part: string, remoteModifiedAt: Date | undefined): Promise<unknown> {
  if (isFtpsctlError(error) && error.code === 'FTPSCTL_ERR_VERIFY') {
    const deleted = await unlink(part).then(
      () => true,
      () => false,
    );
    if (!deleted || !(error instanceof SessionError)) return error;
    return new SessionError(
      error.code,
      `${error.message}. The part file ${part} was deleted (its bytes can't be trusted): run the same command again to download the whole file (--resume then starts from the beginning)`,
      { cause: error, ...(error.reply ? { reply: error.reply } : {}), ...(error.host ? { host: error.host } : {}) },
    );
  }
  const kept = await sizeOf(part);
  if (kept === 0) {
    await unlink(part).catch(() => undefined); // never a folder: unlink refuses those
    return error;
  }
  // The stamp; lutimes: never through a link. Best effort: unstamped, it is compared by its last write.
  if (remoteModifiedAt) {
    const stamp = (remoteModifiedAt.getTime() + STAMP_MARK_MS) / 1000;
    await lutimes(part, stamp, stamp).catch(() => undefined);
  }
  if (!(error instanceof SessionError)) return error;
  // Same code, reply and host; one more sentence.
  return new SessionError(
    error.code,
    `${error.message}. The ${kept} bytes that arrived are kept in ${part}: run the same command with --resume to continue from there`,
    { cause: error, ...(error.reply ? { reply: error.reply } : {}), ...(error.host ? { host: error.host } : {}) },
  );
}

/**
 * The sub-millisecond mark of a stamp (77.7 µs): file systems keep mtime to the nanosecond (ext4,
 * XFS, Btrfs, tmpfs, NTFS to 100 ns, APFS); a listing or MDTM time never has it. A file written
 * normally lands on it about once in 500 (±1 µs); then it is taken as stamped and, its time
 * not being the remote one, downloaded whole: only time lost.
 */
const STAMP_MARK_MS = 0.0777;

/** A part file's time: its stamp (see STAMP_MARK_MS) on mtime or atime, else its last write. */
async function partStamp(file: string): Promise<{ time: Date; stamped: boolean } | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const marked = (ms: number): boolean => Math.abs(ms - Math.floor(ms) - STAMP_MARK_MS) < 0.002;
  if (marked(info.mtimeMs)) return { time: info.mtime, stamped: true };
  if (marked(info.atimeMs)) return { time: info.atime, stamped: true };
  return { time: info.mtime, stamped: false };
}

const secondsOf = (time: Date): number => Math.floor(time.getTime() / 1000);

/** Size of a regular file; 0 when there is none (or something else is in its place). */
async function sizeOf(file: string): Promise<number> {
  try {
    const info = await lstat(file);
    return info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}
