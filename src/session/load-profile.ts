/**
 * Reading profile files. Every way a file can be unusable (missing, a directory, too large,
 * not UTF-8, not JSON, not a valid profile) ends in a ProfileError that names the file and,
 * where it applies, the line, column and JSON pointer.
 */
import { readFile, stat } from 'node:fs/promises';
import { applyDefaults } from './apply-defaults';
import type { EffectiveProfile } from './generated/effective-profile';
import type { SessionProfile } from './generated/session-profile';
import { ProfileError } from './profile-error';
import type { ProfileProblem } from './profile-problems';
import { validateProfileText } from './validate-profile';

export const MAX_PROFILE_BYTES = 1024 * 1024;

export interface LoadedProfile {
  /** The path the profile was read from, as given. */
  file: string;
  /** The profile as written (what resolution treats as the profile's own layer). */
  raw: SessionProfile;
  /** The profile with every default applied. */
  profile: EffectiveProfile;
}

export type ProfileFileResult = { file: string; valid: true; loaded: LoadedProfile; problems: [] } | { file: string; valid: false; problems: ProfileProblem[]; unreadable: boolean };

function fileProblem(message: string): ProfileProblem[] {
  return [{ pointer: '', line: null, column: null, message }];
}

/** Reads and validates one profile file; never throws for bad input. */
export async function checkProfileFile(file: string): Promise<ProfileFileResult> {
  const unreadable = (message: string): ProfileFileResult => ({ file, valid: false, problems: fileProblem(message), unreadable: true });
  let size: number;
  try {
    const info = await stat(file);
    if (info.isDirectory()) return unreadable('is a directory; give the path of a profile file (*.json)');
    if (!info.isFile()) return unreadable('is not a regular file; give the path of a profile file (*.json)');
    size = info.size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return unreadable('file not found; check the path (create one with `ftpsctl profile init`)');
    if (code === 'EACCES') return unreadable('permission denied; make the file readable by this user');
    return unreadable(`cannot be read (${code ?? 'error'})`);
  }
  if (size > MAX_PROFILE_BYTES) return unreadable(`is ${size} bytes; a profile is at most 1 MiB (1048576 bytes): is this the right file?`);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return unreadable(code === 'EACCES' ? 'permission denied; make the file readable by this user' : `cannot be read (${code ?? 'error'})`);
  }
  const text = decodeUtf8(bytes);
  if (typeof text !== 'string') return { file, valid: false, problems: [text], unreadable: false };
  const validation = validateProfileText(text);
  if (!validation.valid) return { file, valid: false, problems: validation.problems, unreadable: false };
  return { file, valid: true, loaded: { file, raw: validation.profile, profile: applyDefaults(validation.profile) }, problems: [] };
}

/** UTF-8 text, or a problem locating the first byte that is not UTF-8 (UTF-16 files get their own hint). */
function decodeUtf8(bytes: Buffer): string | ProfileProblem {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { pointer: '', line: 1, column: 1, message: 'the file is UTF-16; save it as UTF-8' };
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const valid = bytes.subarray(0, firstInvalidUtf8(bytes)).toString('utf8');
    const lines = valid.split('\n');
    return { pointer: '', line: lines.length, column: lines[lines.length - 1].length + 1, message: 'the file is not valid UTF-8 here; save it as UTF-8' };
  }
}

function firstInvalidUtf8(bytes: Buffer): number {
  let low = 0;
  let high = bytes.length;
  // The longest valid prefix, by bisection; `stream` lets a prefix end inside a character.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid - 1;
    }
  }
  // A prefix that ends inside a character (a lead byte before the bad one) is not valid on its own.
  while (low > 0) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, low));
      break;
    } catch {
      low--;
    }
  }
  return low;
}

/** Loads a profile, or throws a ProfileError listing every problem. */
export async function loadProfile(file: string): Promise<LoadedProfile> {
  const result = await checkProfileFile(file);
  if (result.valid) return result.loaded;
  throw new ProfileError(file, result.problems, { unreadable: result.unreadable });
}
