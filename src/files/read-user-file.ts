/**
 * Reading a file a user names: a profile or policy, a CA bundle, a CRL, a client certificate
 * or key, a password or passphrase file. A path can point at anything, so nothing is read
 * until the target is known to be a regular file under the size cap of its kind:
 *
 *   1. `stat` (following symbolic links, as CA bundles often are): anything but a regular file
 *      (FIFO, character or block device, socket, directory) is refused with what it is;
 *   2. `open` with O_NONBLOCK (a FIFO swapped in after step 1 can't block the open) and
 *      O_NOCTTY, then `fstat` on the descriptor: the checks of step 1 again, on the file
 *      actually opened (no stat-then-open race);
 *   3. read at most cap + 1 bytes: a file that grew past its cap after `fstat` (or a file whose
 *      size the kernel reports as 0, like /proc) is refused, never read whole.
 *
 * Every failure is a UserFileError (FTPSCTL_ERR_INPUT_FILE, exit 3) that names the setting,
 * the path, what is wrong and the fix; never the file's contents. Imported by the session
 * layer and the engine alike (this module imports neither).
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, stat, type FileHandle } from 'node:fs/promises';
import { errnoInWords } from '../errors/errno-text';
import { FtpsctlError } from '../errors/ftpsctl-error';
import { fileContentProblem } from './file-content';

/** What a file is for; each kind has its own size cap (USER_FILE_LIMITS). */
export type UserFileKind = 'profile' | 'policy' | 'registryPol' | 'secret' | 'certificates' | 'privateKey' | 'crl';

export interface UserFileLimit {
  /** The largest accepted file, in bytes. */
  maxBytes: number;
  /** The cap as people write it ("4 KiB"). */
  shown: string;
  /** What such a file is, for messages ("a PEM certificate file"). */
  noun: string;
}

/**
 * Size caps, in bytes. Password and passphrase files hold one line; a private key is a few KiB
 * even for RSA-16384; a CA bundle holds hundreds of certificates (Debian's full bundle is
 * ~220 KB); a large CA's CRL runs to several MiB.
 */
export const USER_FILE_LIMITS: Readonly<Record<UserFileKind, UserFileLimit>> = {
  secret: { maxBytes: 4 * 1024, shown: '4 KiB', noun: 'a password or passphrase file (the secret on its first line)' },
  privateKey: { maxBytes: 64 * 1024, shown: '64 KiB', noun: 'a PEM private key file' },
  profile: { maxBytes: 1024 * 1024, shown: '1 MiB', noun: 'a profile file (*.json)' },
  policy: { maxBytes: 1024 * 1024, shown: '1 MiB', noun: 'a policy file (*.xml)' },
  registryPol: { maxBytes: 16 * 1024 * 1024, shown: '16 MiB', noun: 'a Group Policy Registry.pol file' },
  certificates: { maxBytes: 4 * 1024 * 1024, shown: '4 MiB', noun: 'a PEM certificate file' },
  crl: { maxBytes: 10 * 1024 * 1024, shown: '10 MiB', noun: 'a PEM CRL file' },
};

/** Why a file was refused. */
export type UserFileReason = 'missing' | 'not-regular' | 'too-large' | 'permission' | 'unreadable' | 'wrong-content';

export interface UserFileProblem {
  reason: UserFileReason;
  /** What is wrong and the fix, to follow the path: "is a FIFO (named pipe), not a regular file; give the path of …". */
  detail: string;
}

/** A file a user named can't be used; `message` is `label: path detail`. */
export class UserFileError extends FtpsctlError {
  constructor(
    readonly path: string,
    readonly kind: UserFileKind,
    readonly problem: UserFileProblem,
    readonly label: string,
    options?: { cause?: unknown },
  ) {
    super('FTPSCTL_ERR_INPUT_FILE', `${label}: ${path} ${problem.detail}`, options);
  }

  override details(): Record<string, unknown> {
    return { file: this.path, setting: this.label, reason: this.problem.reason };
  }
}

export interface UserFile {
  bytes: Buffer;
  /** fstat of the descriptor the bytes were read from (mode, owner, size). */
  stats: Stats;
}

export interface UserFileOptions {
  /** The setting or role that names the file, for messages ("tls.pki.caFile"); defaults to the kind's noun. */
  label?: string;
  /** The first, path-based check (default `fs.promises.stat`); tests swap it to prove the descriptor check holds on its own. */
  stat?: (path: string) => Promise<Stats>;
}

/** "a FIFO (named pipe)", "a directory", …; undefined for a regular file. */
export function describeFileType(stats: Stats): string | undefined {
  if (stats.isFile()) return undefined;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function notRegular(stats: Stats, kind: UserFileKind): UserFileProblem | undefined {
  const type = describeFileType(stats);
  if (type === undefined) return undefined;
  const what = type === 'not a regular file' ? type : `is ${type}, not a regular file`;
  return { reason: 'not-regular', detail: `${what}; give the path of ${USER_FILE_LIMITS[kind].noun}` };
}

function tooLarge(bytes: number | undefined, kind: UserFileKind): UserFileProblem {
  const limit = USER_FILE_LIMITS[kind];
  const size = bytes === undefined ? `is larger than ${limit.maxBytes} bytes` : `is ${bytes} bytes`;
  return {
    reason: 'too-large',
    detail: `${size}; ${limit.noun} is at most ${limit.shown} (${limit.maxBytes} bytes): is this the right file?`,
  };
}

function checkStats(stats: Stats, kind: UserFileKind): UserFileProblem | undefined {
  return (
    notRegular(stats, kind) ?? (stats.size > USER_FILE_LIMITS[kind].maxBytes ? tooLarge(stats.size, kind) : undefined)
  );
}

/** The problem for a failed stat/open/read, from its errno code. */
async function fromErrno(error: unknown, path: string): Promise<UserFileProblem> {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': {
      const link = await lstat(path).catch(() => undefined);
      return link?.isSymbolicLink()
        ? { reason: 'missing', detail: 'is a symbolic link to a file that does not exist; fix the link or the path' }
        : {
            reason: 'missing',
            detail:
              'does not exist; check the path (a relative path is read from the folder of the file that names it)',
          };
    }
    case 'ENOTDIR':
      return {
        reason: 'missing',
        detail: 'does not exist: a part of the path is a file, not a folder; check the path',
      };
    case 'EACCES':
    case 'EPERM':
      return {
        reason: 'permission',
        detail: 'cannot be read: permission denied; make it readable by the user running ftpsctl',
      };
    case 'ELOOP':
      return {
        reason: 'unreadable',
        detail: 'cannot be read: too many levels of symbolic links (a link loop?); fix the link',
      };
    case 'ENAMETOOLONG':
      return { reason: 'missing', detail: 'cannot be read: the path is too long; check the path' };
    case 'ENXIO':
      // open(2) on a Unix socket, or a FIFO whose other end went away.
      return {
        reason: 'not-regular',
        detail: 'is a socket or a special file, not a regular file; give the path of a regular file',
      };
    case 'EISDIR':
      return { reason: 'not-regular', detail: 'is a directory, not a regular file; give the path of a file' };
    default:
      return {
        reason: 'unreadable',
        detail: `cannot be read: ${errnoInWords(error)}; check the file and its disk`,
      };
  }
}

/** O_NONBLOCK: opening a FIFO for reading never waits for a writer. 0 where the platform has no such flag (Windows). */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Opens `path` as a regular file of `kind`, or throws UserFileError. The caller closes the handle. */
async function openChecked(
  path: string,
  kind: UserFileKind,
  label: string,
  statPath: (path: string) => Promise<Stats> = stat,
): Promise<{ handle: FileHandle; stats: Stats }> {
  const fail = (problem: UserFileProblem, cause?: unknown): never => {
    throw new UserFileError(path, kind, problem, label, cause === undefined ? undefined : { cause });
  };
  let before: Stats;
  try {
    before = await statPath(path);
  } catch (error) {
    return fail(await fromErrno(error, path), error);
  }
  const early = checkStats(before, kind);
  if (early) fail(early);
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    return fail(await fromErrno(error, path), error);
  }
  try {
    const stats = await handle.stat();
    const problem = checkStats(stats, kind);
    if (problem) fail(problem);
    return { handle, stats };
  } catch (error) {
    await handle.close().catch(() => undefined);
    if (error instanceof UserFileError) throw error;
    return fail(await fromErrno(error, path), error);
  }
}

/**
 * Reads a regular file of at most the kind's cap, without blocking on a FIFO.
 * @throws UserFileError (FTPSCTL_ERR_INPUT_FILE) for a missing, special, oversize or unreadable file.
 */
export async function readUserFile(path: string, kind: UserFileKind, options: UserFileOptions = {}): Promise<UserFile> {
  const label = options.label ?? USER_FILE_LIMITS[kind].noun;
  const { handle, stats } = await openChecked(path, kind, label, options.stat);
  const limit = USER_FILE_LIMITS[kind].maxBytes;
  try {
    // One byte over the cap is enough to know the file grew past it; never read more.
    const buffer = Buffer.allocUnsafe(Math.min(limit, Math.max(stats.size, 4096)) + 1);
    let filled = 0;
    let target = buffer;
    for (;;) {
      if (filled === target.length) {
        if (target.length > limit) throw new UserFileError(path, kind, tooLarge(undefined, kind), label);
        const grown = Buffer.allocUnsafe(Math.min(limit + 1, target.length * 2));
        target.copy(grown, 0, 0, filled);
        target = grown;
      }
      const { bytesRead } = await handle.read(target, filled, target.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled > limit) throw new UserFileError(path, kind, tooLarge(undefined, kind), label);
    return { bytes: target.subarray(0, filled), stats };
  } catch (error) {
    if (error instanceof UserFileError) throw error;
    throw new UserFileError(path, kind, await fromErrno(error, path), label, { cause: error });
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** readUserFile as UTF-8 text (PEM files, secrets). */
export async function readUserTextFile(
  path: string,
  kind: UserFileKind,
  options: UserFileOptions = {},
): Promise<string> {
  return (await readUserFile(path, kind, options)).bytes.toString('utf8');
}

/**
 * Checks that `path` can be used as a file of `kind`: it exists, is regular, under the cap,
 * reads, and holds what the kind needs (file-content.ts: PEM certificates, a PEM key, a PEM
 * CRL, a secret on its first line readable by its owner only, unless `secretFileModes` is
 * false). For `profile validate`, loading a profile and the files policies name. Never throws.
 */
export async function inspectUserFile(
  path: string,
  kind: UserFileKind,
  options: { secretFileModes?: boolean } = {},
): Promise<UserFileProblem | undefined> {
  try {
    const { bytes, stats } = await readUserFile(path, kind);
    // A secret file others can read is refused where it is used; posture reports (resolve, audit) may leave it out.
    const detail = fileContentProblem(kind, bytes, path, options.secretFileModes === false ? undefined : stats.mode);
    return detail === undefined ? undefined : { reason: 'wrong-content', detail };
  } catch (error) {
    if (error instanceof UserFileError) return error.problem;
    return fromErrno(error, path);
  }
}
