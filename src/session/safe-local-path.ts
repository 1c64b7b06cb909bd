/**
 * Names from a server decide where files land on this machine, so each one is checked: a
 * name that could leave the target folder (`..`, absolute, NUL, backslash or drive tricks,
 * control characters) is refused, never "cleaned up" (unsafeNameReason, localPathFor: pure).
 *
 * What is already on this machine is checked too, without following links (lstat): a download
 * replaces only a regular file, never a symbolic link, FIFO, device, socket or folder
 * (refuseUnlessReplaceable), and a mirror creates its folders one level at a time below its
 * root, refusing any level that is a symbolic link or not a folder (ensureFolderWithin).
 * Those refusals are FTPSCTL_ERR_LOCAL_FILE naming the path and what it is.
 */
import type { Stats } from 'node:fs';
import { lstat, mkdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { SessionError } from '../errors';
import { folderLevels } from '../files/folder-levels';
import { errnoInWords } from '../errors';

/** Why a single name from a listing is unsafe as a path segment, or undefined when it is fine. */
export function unsafeNameReason(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return `"${name}" is not a file name`;
  if (name.includes('\0')) return 'it contains a NUL byte';
  if (name.includes('/')) return 'it contains "/"';
  if (name.includes('\\')) return 'it contains a backslash';
  if (/^[A-Za-z]:/.test(name)) return 'it starts with a drive letter';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\x00-\x1f\x7f]/.test(name)) return 'it contains a control character';
  // Bytes that are not UTF-8 (kept as U+DC80-U+DCFF by name-codec.ts): Node would write U+FFFD, another name.
  if (!name.isWellFormed())
    return 'its name is not UTF-8, and a local file name here can only be UTF-8 (the bytes would become U+FFFD, another name); fetch it with session get and a LOCAL name, or set network.encoding to latin1 if the server uses an ISO-8859 code page';
  if (process.platform === 'win32') return windowsNameReason(name);
  return undefined;
}

/**
 * What Win32 would make of a name that is not the file it says (Microsoft, "Naming Files, Paths,
 * and Namespaces"): a device (CON, NUL, AUX, PRN, COM1-9, LPT1-9, with any extension), an NTFS
 * alternate data stream (`name:stream`), a trailing dot or space (stripped: `notes.` is `notes`),
 * or a character Windows does not allow in names.
 */
function windowsNameReason(name: string): string | undefined {
  if (/^(CON|PRN|AUX|NUL|COM[1-9¹²³]|LPT[1-9¹²³])(\.[^.]*)?$/i.test(name.replace(/[. ]+$/, '')))
    return 'it is a Windows device name (CON, NUL, AUX, PRN, COM1-9, LPT1-9), which opens the device, not a file';
  if (name.includes(':')) return 'it contains ":", which Windows reads as an NTFS alternate data stream';
  if (/[<>"|?*]/.test(name)) return 'it contains a character Windows does not allow in names (< > " | ? *)';
  if (/[. ]$/.test(name)) return 'it ends in a dot or a space, which Windows strips, so it would be another name';
  return undefined;
}

/** `root` joined with the remote-relative `segments`, or the reason it would escape `root`. */
export function localPathFor(root: string, segments: readonly string[]): { path: string } | { problem: string } {
  for (const segment of segments) {
    const reason = unsafeNameReason(segment);
    if (reason) return { problem: `refused server name ${JSON.stringify(segment)}: ${reason}` };
  }
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  if (target !== base && !target.startsWith(base + path.sep))
    return { problem: `refused ${JSON.stringify(segments.join('/'))}: it would leave ${base}` };
  return { path: target };
}

/** What a local path is, in words ("a symbolic link (to real.txt)", "a FIFO (named pipe)"...). */
export async function describeLocalKind(file: string, info: Stats): Promise<string> {
  if (info.isSymbolicLink()) {
    const target = await readlink(file).catch(() => undefined);
    return target === undefined ? 'a symbolic link' : `a symbolic link (to ${target})`;
  }
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a folder';
  if (info.isFile()) return 'a regular file';
  return 'not a regular file';
}

/** lstat, or undefined when nothing is there (ENOENT); any other failure is FTPSCTL_ERR_LOCAL_FILE naming `file`. */
export async function lstatIfPresent(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SessionError('FTPSCTL_ERR_LOCAL_FILE', `cannot check the local path ${file}: ${errnoInWords(error)}`, {
      cause: error,
    });
  }
}

/**
 * Resolves when `file` is absent or a regular file (which a download may replace); otherwise
 * throws FTPSCTL_ERR_LOCAL_FILE naming it and what it is, and leaves it untouched. The link
 * itself is looked at (lstat), never what it points to. `role` names the path in the message
 * ("the download target", "the part file"); `after` ends it (what was kept, what to do).
 */
export async function refuseUnlessReplaceable(file: string, role: string, after = ''): Promise<void> {
  const info = await lstatIfPresent(file);
  if (info === undefined || info.isFile()) return;
  const kind = await describeLocalKind(file, info);
  const fix = info.isDirectory()
    ? `name a file inside it (for example ${path.join(file, 'NAME')}) instead`
    : 'ftpsctl replaces only regular files: remove it or name another path';
  throw new SessionError(
    'FTPSCTL_ERR_LOCAL_FILE',
    `refused to write ${role} ${file}: it is ${kind}, left untouched; ${fix}${after}`,
  );
}

/**
 * Makes sure `dir` (inside `root`) is a real folder, creating the missing levels one at a
 * time. A level that is a symbolic link, or anything but a folder, is FTPSCTL_ERR_LOCAL_FILE:
 * nothing is written through it. `root` itself is taken as given (the user named it).
 */
export async function ensureFolderWithin(root: string, dir: string): Promise<void> {
  const levels = folderLevels(root, dir);
  if (!levels)
    throw new SessionError(
      'FTPSCTL_ERR_LOCAL_FILE',
      `refused to write into ${path.resolve(dir)}: it is outside ${path.resolve(root)}`,
    );
  for (const current of levels) {
    let info = await lstatIfPresent(current);
    if (info === undefined) {
      await mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST')
          throw new SessionError(
            'FTPSCTL_ERR_LOCAL_FILE',
            `cannot create the local folder ${current}: ${errnoInWords(error)}`,
            { cause: error },
          );
      });
      info = await lstatIfPresent(current);
    }
    if (info?.isDirectory()) continue;
    const kind = info ? await describeLocalKind(current, info) : 'gone';
    throw new SessionError(
      'FTPSCTL_ERR_LOCAL_FILE',
      `refused to write into ${current}: it is ${kind}, not a folder, and a mirror never follows links or replaces what is in the way; left untouched`,
    );
  }
}
