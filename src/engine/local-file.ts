/**
 * The local end of a transfer: the file is opened before anything is sent, so a local
 * problem is reported as such and nothing leaks to the server. Every local failure is
 * FTPSCTL_ERR_LOCAL_FILE naming the file, what was being done and the errno in words.
 */
import { constants as fsConstants, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { errnoInWords, SessionError } from '../errors';
import { folderLevels } from '../files/folder-levels';
import { describeFileType } from '../files/read-user-file';

/** FTPSCTL_ERR_LOCAL_FILE naming the local file, what was being done and the errno in words. */
export function localFileError(error: unknown, file: string, what: 'read' | 'write'): SessionError {
  return new SessionError('FTPSCTL_ERR_LOCAL_FILE', `cannot ${what} the local file ${file}: ${errnoInWords(error)}`, {
    cause: error,
  });
}

/** An open local file: its descriptor for positioned reads or writes, closed once by `close`. */
export interface LocalFile {
  readonly fd: number;
  /** Bytes in the file when it was opened. */
  readonly size: number;
  /**
   * FTPSCTL_ERR_LOCAL_FILE unless `path` still names the file this descriptor writes (same
   * device and inode, not a link): a part file swapped for a link or another file while the
   * data flowed must not be renamed onto the target as a verified download.
   */
  assertStillAt(path: string): Promise<void>;
  /**
   * How the file moved since it was opened (fstat of this descriptor), for an upload that read
   * `sent` bytes from `offset`: undefined when not at all; `touched` when only its modification
   * time moved (the caller may compare hashes); else what changed, in words (its size, or fewer
   * bytes read than it had): the bytes sent are no version of it.
   */
  changeSinceOpen(sent: number, offset: number): Promise<string | undefined>;
  /** Closes the descriptor; a failure (EIO, ENOSPC on some file systems) is FTPSCTL_ERR_LOCAL_FILE. */
  close(): Promise<void>;
}

function localFile(handle: FileHandle, opened: Stats, file: string, what: 'read' | 'write'): LocalFile {
  let closing: Promise<void> | undefined;
  return {
    fd: handle.fd,
    size: opened.size,
    assertStillAt: async (path) => {
      const now = await lstat(path).catch(() => undefined);
      if (now && now.isFile() && now.dev === opened.dev && now.ino === opened.ino) return;
      throw new SessionError(
        'FTPSCTL_ERR_LOCAL_FILE',
        `the local file ${path} was ${now ? `replaced by ${describeFileType(now) ?? 'another file'}` : 'removed'} while the download was written to it; the bytes are not there, so it is not kept as a download`,
      );
    },
    changeSinceOpen: async (sent, offset) => {
      const now = await handle.stat();
      if (now.size !== opened.size) return `its size went from ${opened.size} to ${now.size} bytes`;
      if (offset + sent !== opened.size) return `${offset + sent} of its ${opened.size} bytes could be read`;
      return now.mtimeMs === opened.mtimeMs ? undefined : 'touched';
    },
    close: () =>
      (closing ??= handle.close().catch((error: unknown) => {
        throw localFileError(error, file, what);
      })),
  };
}

/** O_NONBLOCK: opening a FIFO never waits for its other end; O_NOCTTY: a terminal never becomes ours. */
const NO_WAIT = (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOCTTY ?? 0); // undefined on Windows

/** Only a regular file has an end to read to or a place to keep bytes: a FIFO, device or folder is refused. */
async function regularFile(handle: FileHandle, path: string, what: 'read' | 'write'): Promise<Stats> {
  const info = await handle.stat();
  if (info.isFile()) return info;
  if (info.isDirectory()) throw Object.assign(new Error(`${path} is a folder`), { code: 'EISDIR' });
  throw new SessionError(
    'FTPSCTL_ERR_LOCAL_FILE',
    `cannot ${what} the local file ${path}: it is ${describeFileType(info) ?? 'not a regular file'}, not a regular file`,
  );
}

/** Opens, then checks it is a regular file; on any failure the descriptor is closed and the error names the file. */
async function openRegular(path: string, flags: number, what: 'read' | 'write'): Promise<LocalFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, flags | NO_WAIT, 0o666);
  } catch (error) {
    throw localFileError(error, path, what);
  }
  try {
    return localFile(handle, await regularFile(handle, path, what), path, what);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error instanceof SessionError ? error : localFileError(error, path, what);
  }
}

/**
 * Opens `path` for a download that starts at `offset` (0: created or truncated, mode 0666
 * before the umask; > 0: continued, never truncated). O_NOFOLLOW: a symbolic link put in the
 * file's place is refused (ELOOP), never written through.
 */
export async function openForDownload(path: string, offset: number): Promise<LocalFile> {
  const flags =
    (offset > 0 ? fsConstants.O_RDWR : fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_TRUNC) |
    (fsConstants.O_NOFOLLOW ?? 0); // undefined on Windows
  return openRegular(path, flags, 'write');
}

/**
 * Opens `path` for an upload. A folder (EISDIR), a FIFO, a device or a socket is refused here,
 * before the server is asked to store anything: only a regular file has an end of file (an
 * upload from /dev/zero would never end; a FIFO with no writer would wait forever in open).
 */
export async function openForUpload(path: string, options: { confinedTo?: string } = {}): Promise<LocalFile> {
  if (options.confinedTo === undefined) return openRegular(path, fsConstants.O_RDONLY, 'read');
  await assertRealFolders(options.confinedTo, dirname(path));
  return openRegular(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0), 'read').catch(async (error) => {
    const now = await lstat(path).catch(() => undefined);
    if (!now?.isSymbolicLink()) throw error;
    throw new SessionError(
      'FTPSCTL_ERR_LOCAL_FILE',
      `refused to read ${path}: it is a symbolic link now; a mirror never follows links, so nothing was sent for it`,
      { cause: error },
    );
  });
}

/**
 * Every folder from `root` (taken as given: the user named it) down to `dir` is a real folder,
 * not a symbolic link, and `dir` is inside `root`; else FTPSCTL_ERR_LOCAL_FILE naming the level.
 */
async function assertRealFolders(root: string, dir: string): Promise<void> {
  const levels = folderLevels(root, dir);
  if (!levels)
    throw new SessionError('FTPSCTL_ERR_LOCAL_FILE', `refused to read ${dir}: it is outside ${resolve(root)}`);
  for (const current of levels) {
    const info = await lstat(current).catch(() => undefined);
    if (info?.isDirectory()) continue;
    throw new SessionError(
      'FTPSCTL_ERR_LOCAL_FILE',
      `refused to read through ${current}: it is ${info ? (describeFileType(info) ?? 'not a folder') : 'gone'} now, not a folder; a mirror never follows links, so nothing under it was sent`,
    );
  }
}
