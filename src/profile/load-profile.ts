/**
 * Reading profile files. Every way a file can be unusable (missing, a directory, a FIFO or a
 * device, too large, not UTF-8, not JSON, not a valid profile, naming a CA, CRL, key or
 * password file that can't be read) ends in a ProfileError that names the file and, where it
 * applies, the line, column and JSON pointer.
 */
import { createHash } from 'node:crypto';
import { readUserFile, USER_FILE_LIMITS, UserFileError } from '../files/read-user-file';
import { applyDefaults } from '../settings/apply-defaults';
import type { EffectiveProfile } from '../settings/generated/effective-profile';
import type { SessionProfile } from '../settings/generated/session-profile';
import { checkProfileNamedFiles, type ProfileCheckOptions } from './named-files';
import { ProfileError } from './profile-error';
import type { ProfileProblem } from './profile-problems';
import { validateProfileText } from './validate-profile';

/** 1 MiB (USER_FILE_LIMITS.profile). */
export const MAX_PROFILE_BYTES = USER_FILE_LIMITS.profile.maxBytes;

export interface LoadedProfile {
  /** The path the profile was read from, as given. */
  file: string;
  /** The profile as written (what resolution treats as the profile's own layer). */
  raw: SessionProfile;
  /** The profile with every default applied. */
  profile: EffectiveProfile;
  /** SHA-256 (hex) of the file's bytes as read: audit events name the profile by it (ftpsctl.profile_file). */
  sha256?: string;
}

export type ProfileFileResult =
  | { file: string; valid: true; loaded: LoadedProfile; problems: [] }
  | { file: string; valid: false; problems: ProfileProblem[]; unreadable: boolean };

function fileProblem(message: string): ProfileProblem[] {
  return [{ pointer: '', line: null, column: null, message }];
}

/** What to say about the profile file itself, from the reader's problem. */
function profileFileMessage(error: UserFileError): string {
  switch (error.problem.reason) {
    case 'missing':
      return error.problem.detail.startsWith('does not exist')
        ? 'file not found; check the path (create one with `ftpsctl profile init`)'
        : error.problem.detail;
    case 'permission':
      return 'permission denied; make the file readable by this user';
    default:
      return error.problem.detail;
  }
}

/**
 * Reads and validates one profile file, then checks every file it names (readable regular files
 * under their size caps, holding what their setting needs; secret files owner-only unless
 * `secretFileModes` is false), as `profile validate` does. Never throws for bad input.
 */
export async function checkProfileFile(file: string, options: ProfileCheckOptions = {}): Promise<ProfileFileResult> {
  let bytes: Buffer;
  try {
    // A regular file of at most 1 MiB, opened without blocking on a FIFO.
    bytes = (await readUserFile(file, 'profile', { label: 'profile' })).bytes;
  } catch (error) {
    if (error instanceof UserFileError)
      return { file, valid: false, problems: fileProblem(profileFileMessage(error)), unreadable: true };
    throw error;
  }
  const text = decodeUtf8(bytes);
  if (typeof text !== 'string') return { file, valid: false, problems: [text], unreadable: false };
  const validation = validateProfileText(text);
  if (!validation.valid) return { file, valid: false, problems: validation.problems, unreadable: false };
  const fileProblems = await checkProfileNamedFiles(validation.profile, file, validation.document, options);
  if (fileProblems.length > 0) return { file, valid: false, problems: fileProblems, unreadable: false };
  return {
    file,
    valid: true,
    loaded: {
      file,
      raw: validation.profile,
      profile: applyDefaults(validation.profile),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
    problems: [],
  };
}

/** UTF-8 text, or a problem locating the first byte that is not UTF-8 (UTF-16 files get their own hint). */
function decodeUtf8(bytes: Buffer): string | ProfileProblem {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { pointer: '', line: 1, column: 1, message: 'the file is UTF-16; save it as UTF-8' };
  }
  // UTF-16 without a byte order mark: a JSON text starts with ASCII, so every other byte is 0.
  const le = bytes.length >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0;
  const be = bytes.length >= 4 && bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0;
  if (le || be) {
    return {
      pointer: '',
      line: 1,
      column: 1,
      message: `the file is UTF-16 (${le ? 'little' : 'big'}-endian, without a byte order mark); save it as UTF-8`,
    };
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const valid = bytes.subarray(0, firstInvalidUtf8(bytes)).toString('utf8');
    const lines = valid.split('\n');
    return {
      pointer: '',
      line: lines.length,
      column: lines[lines.length - 1].length + 1,
      message: 'the file is not valid UTF-8 here; save it as UTF-8',
    };
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

/**
 * Loads a profile, or throws a ProfileError listing every problem. Unlike checkProfileFile, a
 * password or passphrase file others can read is not a problem here unless `secretFileModes` is
 * true: loading is for resolving (what would apply), and the secret is refused where it is read.
 */
export async function loadProfile(file: string, options: ProfileCheckOptions = {}): Promise<LoadedProfile> {
  const result = await checkProfileFile(file, { secretFileModes: false, ...options });
  if (result.valid) return result.loaded;
  throw new ProfileError(file, result.problems, { unreadable: result.unreadable });
}
