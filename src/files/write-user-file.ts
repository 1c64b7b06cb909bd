/**
 * Writing a file a user names: a report (`audit --out`), a profile (`profile init`), a policy
 * (`policy import --out`), the Group Policy template (`policy admx --out`). The output path can
 * point at anything, so nothing is written until it is known to be a regular file, or a path
 * where nothing is yet:
 *
 *   1. `stat` (following symbolic links: a link to a regular file is written through, as an
 *      editor would): a FIFO, device, socket or folder is refused with what it is. A FIFO
 *      would block the open until a reader came; /dev/null would "take" the file and lose it;
 *   2. a new file is created with O_CREAT|O_EXCL|O_NOFOLLOW (and removed again if its write
 *      fails); an existing one (`overwrite`) is replaced whole: the bytes go to a new file in
 *      the same folder, which is then renamed over it, so a write that fails part-way (a full
 *      disk, EFBIG) leaves the old file as it was. The replacement keeps the old file's mode.
 *
 * Every failure is a UsageError (exit 2, the output argument is wrong) naming the path, what
 * it is and the fix; an existing file without `overwrite` is FTPSCTL_ERR_FILE_EXISTS.
 */
import { constants, type Stats } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { lstat, open, readlink, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, errnoInWords } from '../errors/errno-text';
import { UsageError } from '../errors/ftpsctl-error';
import { describeFileType } from './read-user-file';

export interface WriteUserFileOptions {
  /** Replace an existing regular file (`--force`); without it an existing file is FTPSCTL_ERR_FILE_EXISTS. */
  overwrite: boolean;
  /** Mode of a file created here (less the umask); an existing file keeps its own. */
  mode?: number;
  /** What the file is, for messages ("the report", "the profile"). */
  what: string;
  /** A file name to suggest when the path is a folder ("profile.json"). */
  exampleName: string;
}

/** A new file only, never through a link; O_NOCTTY: a terminal never becomes ours. 0 where the platform lacks the flag. */
const CREATE_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0) | (constants.O_NOCTTY ?? 0);

function refusal(file: string, stats: Stats, options: WriteUserFileOptions): UsageError | undefined {
  const type = describeFileType(stats);
  if (type === undefined) return undefined;
  const fix =
    type === 'a directory'
      ? `give a file name such as ${file.replace(/[\\/]+$/, '')}/${options.exampleName}`
      : 'give the path of a regular file (or of a file that does not exist yet)';
  return new UsageError(`cannot write ${options.what} to ${file}: it is ${type}, not a regular file; ${fix}`);
}

/**
 * Writes `data` to `file` (see the module comment for what `file` may be).
 * @throws UsageError FTPSCTL_ERR_USAGE for a path that is not a regular file or can't be
 *   written (errno in words), FTPSCTL_ERR_FILE_EXISTS when it exists and `overwrite` is false.
 */
export async function writeUserFile(
  file: string,
  data: string | Uint8Array,
  options: WriteUserFileOptions,
): Promise<void> {
  const cannot = (error: unknown): UsageError =>
    error instanceof UsageError
      ? error
      : new UsageError(`cannot write ${options.what} to ${file}: ${errnoInWords(error)}`, { cause: error });
  const before = await stat(file).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw cannot(error);
  });
  if (before) {
    const refused = refusal(file, before, options);
    if (refused) throw refused;
    if (!options.overwrite) throw exists(file);
    // Written next to the file a link points to, so the rename replaces that file, not the link.
    const target = await realpath(file).catch((error: unknown) => {
      throw cannot(error);
    });
    return replaceWhole(target, data, before.mode & 0o7777, cannot);
  }
  let handle: FileHandle;
  try {
    handle = await open(file, CREATE_FLAGS, options.mode ?? 0o666);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST' || code === 'ELOOP') {
      // stat said nothing is there, yet something is: a link to nothing (or one made since).
      const link = await lstat(file).catch(() => undefined);
      if (link?.isSymbolicLink())
        throw new UsageError(
          `cannot write ${options.what} to ${file}: it is a symbolic link to ${await readlink(file).catch(() => 'a path')}, which does not exist; ftpsctl does not create files through a dangling link: fix or remove the link`,
          { cause: error },
        );
      throw exists(file, error);
    }
    throw cannot(error);
  }
  // O_CREAT|O_EXCL made it: a new regular file, nothing to check again.
  try {
    await handle.writeFile(data);
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(file).catch(() => undefined); // a half-written new file is no file
    throw cannot(error);
  }
}

/** The bytes to a fresh file beside `target` (mode `mode`), then renamed over it. */
async function replaceWhole(
  target: string,
  data: string | Uint8Array,
  mode: number,
  cannot: (error: unknown) => UsageError,
): Promise<void> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, CREATE_FLAGS, 0o600);
    try {
      await handle.writeFile(data);
      await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw cannot(error);
  }
}

function exists(file: string, cause?: unknown): UsageError {
  return new UsageError(`${file} already exists; use --force to overwrite it`, {
    code: 'FTPSCTL_ERR_FILE_EXISTS',
    ...(cause !== undefined ? { cause } : {}),
  });
}
