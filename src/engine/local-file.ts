/**
 * The local end of a transfer: the file is opened before anything is sent, so a local
 * problem is reported as such and nothing leaks to the server. Every local failure is
 * FTPSCTL_ERR_LOCAL_FILE naming the file, what was being done and the errno in words.
 */
import { constants as fsConstants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { errnoInWords, SessionError } from '../errors';

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
  /** Closes the descriptor; a failure (EIO, ENOSPC on some file systems) is FTPSCTL_ERR_LOCAL_FILE. */
  close(): Promise<void>;
}

function localFile(handle: FileHandle, size: number, file: string, what: 'read' | 'write'): LocalFile {
  let closing: Promise<void> | undefined;
  return {
    fd: handle.fd,
    size,
    close: () =>
      (closing ??= handle.close().catch((error: unknown) => {
        throw localFileError(error, file, what);
      })),
  };
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
  let handle: FileHandle;
  try {
    handle = await open(path, flags, 0o666);
  } catch (error) {
    throw localFileError(error, path, 'write');
  }
  return localFile(handle, 0, path, 'write');
}

/** Opens `path` for an upload; a folder is refused here (EISDIR), before the server is asked to store anything. */
export async function openForUpload(path: string): Promise<LocalFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw localFileError(error, path, 'read');
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw Object.assign(new Error(`${path} is a folder`), { code: 'EISDIR' });
    return localFile(handle, info.size, path, 'read');
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw localFileError(error, path, 'read');
  }
}
