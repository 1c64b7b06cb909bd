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
 * What is already on disk is never followed (lstat, O_NOFOLLOW): the download replaces only a
 * regular file (or nothing). A symbolic link, FIFO, device, socket or folder at `localPath`
 * or at its part file is refused with FTPSCTL_ERR_LOCAL_FILE before RETR, and `localPath`
 * again right before the rename (then the verified part file is kept and the error says so).
 */
import { lstat, rename, unlink } from 'node:fs/promises';
import { errnoInWords } from '../errors';
import { type FtpsSession, type TransferOptions, type TransferResult } from '../engine/ftps-session';
import { isFtpsctlError, SessionError } from '../errors';
import { refuseUnlessReplaceable } from './safe-local-path';

export const PART_SUFFIX = '.ftpsctl-part';

export async function downloadFile(
  session: FtpsSession,
  remotePath: string,
  localPath: string,
  options: { resume: boolean; onProgress?: TransferOptions['onProgress']; remoteSize?: number },
): Promise<TransferResult> {
  const part = `${localPath}${PART_SUFFIX}`;
  await refuseUnlessReplaceable(localPath, 'the download target');
  await refuseUnlessReplaceable(part, 'the part file');
  const offset = options.resume ? await sizeOf(part) : 0;
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
    throw await settlePartFile(error, part);
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
  return result;
}

/** Deletes the part file after an integrity failure; otherwise keeps it and says so in the error. */
async function settlePartFile(error: unknown, part: string): Promise<unknown> {
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
  if (!(error instanceof SessionError)) return error;
  // Same code, reply and host; one more sentence.
  return new SessionError(
    error.code,
    `${error.message}. The ${kept} bytes that arrived are kept in ${part}: run the same command with --resume to continue from there`,
    { cause: error, ...(error.reply ? { reply: error.reply } : {}), ...(error.host ? { host: error.host } : {}) },
  );
}

/** Size of a regular file; 0 when there is none (or something else is in its place). */
async function sizeOf(file: string): Promise<number> {
  try {
    const info = await lstat(file);
    return info.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}
