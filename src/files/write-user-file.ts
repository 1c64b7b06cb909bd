/**
 * Writing a file a user names: a report (`audit --out`), a profile (`profile init`), a policy
 * (`policy import --out`), the Group Policy template (`policy admx --out`). The output path can
 * point at anything, so nothing is written until it is known to be a regular file, or a path
 * where nothing is yet:
 *
 *   1. `stat` (following symbolic links: a link to a regular file is written through, as an
 *      editor would): a FIFO, device, socket or folder is refused with what it is. A FIFO
 *      would block the open until a reader came; /dev/null would "take" the file and lose it;
 *   2. `open` with O_NONBLOCK (a FIFO swapped in after step 1 fails the open with ENXIO
 *      instead of waiting for a reader) and O_NOCTTY, O_CREAT|O_EXCL unless overwriting, and
 *      no O_TRUNC; then `fstat` on the descriptor: step 1's check again, on what was opened;
 *   3. only then truncate and write.
 *
 * Every failure is a UsageError (exit 2, the output argument is wrong) naming the path, what
 * it is and the fix; an existing file without `overwrite` is FTPSCTL_ERR_FILE_EXISTS.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
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

/** O_NONBLOCK: a FIFO is never waited on; O_NOCTTY: a terminal never becomes ours. 0 where the platform lacks the flag. */
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

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
  const before = await stat(file).catch((error: unknown) => {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw new UsageError(`cannot write ${options.what} to ${file}: ${errnoInWords(error)}`, { cause: error });
  });
  if (before) {
    const refused = refusal(file, before, options);
    if (refused) throw refused;
    if (!options.overwrite) throw exists(file);
  }
  let handle: FileHandle;
  try {
    handle = await open(file, WRITE_FLAGS | (options.overwrite ? 0 : constants.O_EXCL), options.mode ?? 0o666);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') throw exists(file, error);
    if (code === 'ENXIO' || code === 'EISDIR') {
      // Became a FIFO with no reader (ENXIO) or a folder after the stat.
      const now = await stat(file).catch(() => undefined);
      const refused = now ? refusal(file, now, options) : undefined;
      if (refused) throw refused;
    }
    throw new UsageError(`cannot write ${options.what} to ${file}: ${errnoInWords(error)}`, { cause: error });
  }
  try {
    const opened = await handle.stat();
    const refused = refusal(file, opened, options);
    if (refused) throw refused;
    await handle.truncate(0);
    await handle.writeFile(data);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot write ${options.what} to ${file}: ${errnoInWords(error)}`, { cause: error });
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function exists(file: string, cause?: unknown): UsageError {
  return new UsageError(`${file} already exists; use --force to overwrite it`, {
    code: 'FTPSCTL_ERR_FILE_EXISTS',
    ...(cause !== undefined ? { cause } : {}),
  });
}
