/**
 * Ownership and mode checks on machine policy sources, like OpenSSH's StrictModes
 * (sshd_config(5), secure_filename() in auth.c): the folder, every folder above it up to
 * `/`, and each policy file must be owned by root and writable by nobody else (no group or
 * other write bit). Otherwise a user could edit or replace the administrator's policies.
 * On Windows the ACL check is not done here (the folder is under %ProgramData%, writable only
 * by administrators by default); the caller says so.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export type StrictLevel = 'root' | 'root-or-self';

export interface StrictStat {
  uid: number;
  mode: number;
  isDirectory(): boolean;
}

export interface StrictModesIo {
  stat(file: string): Promise<StrictStat>;
  realpath(file: string): Promise<string>;
  /** The current user's uid (root-or-self), or undefined where there are no uids. */
  uid: number | undefined;
  platform: NodeJS.Platform;
}

export const systemStrictModesIo: StrictModesIo = {
  stat: (file) => stat(file),
  realpath: (file) => realpath(file),
  uid: typeof process.getuid === 'function' ? process.getuid() : undefined,
  platform: process.platform,
};

function owners(level: StrictLevel, io: StrictModesIo): number[] {
  return level === 'root' || io.uid === undefined ? [0] : [0, io.uid];
}

function describeOwners(level: StrictLevel, io: StrictModesIo): string {
  return owners(level, io).length === 1 ? 'root' : `root or uid ${io.uid}`;
}

/** Why `info` of `file` can't be trusted, or undefined. `sticky` folders (e.g. /tmp) may be world-writable. */
export function modeProblem(
  file: string,
  info: StrictStat,
  level: StrictLevel,
  io: StrictModesIo,
  options: { stickyAllowed?: boolean } = {},
): string | undefined {
  if (io.platform === 'win32') return undefined;
  if (!owners(level, io).includes(info.uid))
    return `${file} is owned by uid ${info.uid}, not ${describeOwners(level, io)}; run: chown root ${file}`;
  const writable = info.mode & 0o022;
  if (writable === 0) return undefined;
  if (options.stickyAllowed && info.isDirectory() && (info.mode & 0o1000) !== 0 && info.uid === 0) return undefined;
  const who = writable === 0o022 ? 'its group and every user' : writable === 0o020 ? 'its group' : 'every user';
  return `${file} is writable by ${who}; run: chmod go-w ${file}`;
}

/** The StrictModes problem of a policy folder (itself and every folder above it), or undefined. */
export async function folderStrictModesProblem(
  folder: string,
  level: StrictLevel,
  io: StrictModesIo = systemStrictModesIo,
): Promise<string | undefined> {
  if (io.platform === 'win32') return undefined;
  let current: string;
  try {
    current = await io.realpath(folder);
  } catch (error) {
    return `${folder} cannot be resolved (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const first = await io.stat(current);
  const own = modeProblem(current, first, level, io);
  if (own) return own;
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
    const problem = modeProblem(current, await io.stat(current), level, io, {
      stickyAllowed: level === 'root-or-self',
    });
    if (problem) return `${problem} (a folder above the policy folder ${folder})`;
  }
}
