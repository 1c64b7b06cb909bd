/**
 * Reading one Registry.pol file into a Policy, with the result shape of the XML policy file
 * reader (`{ policy?, failure? }`) plus the warnings it gives (unknown values, by byte offset).
 * Where Group Policy keeps them: `…\GroupPolicy\Machine\Registry.pol` (machine scope) and
 * `…\GroupPolicy\User\Registry.pol` (user scope); a bare Registry.pol is machine scope.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, errnoInWords } from '../../errors/errno-text';
import type { Policy, PolicyFailure } from '../policy';
import { folderStrictModesProblem, modeProblem, systemStrictModesIo, type StrictLevel } from '../strict-modes';
import { registryPolToPolicy, type GroupPolicyScope } from './registry-policy';

/** Machine Registry.pol files of large domains reach a few hundred KiB; more is not a policy file. */
export const MAX_REGISTRY_POL_BYTES = 16 * 1024 * 1024;

export interface RegistryPolReadResult {
  policy?: Policy;
  failure?: PolicyFailure;
  warnings: string[];
}

/** Whether a file name is Registry.pol (any case, as Windows file names are). */
export const isRegistryPolName = (name: string): boolean => name.toLowerCase() === 'registry.pol';

/** The folders Group Policy keeps its two Registry.pol files in, below a GroupPolicy folder. */
export const isGroupPolicyScopeFolder = (name: string): boolean => ['machine', 'user'].includes(name.toLowerCase());

/** `…/User/Registry.pol` is user scope; everything else (`…/Machine/Registry.pol`, a bare Registry.pol) machine scope. */
export function registryPolScope(file: string): GroupPolicyScope {
  const parent = path.basename(path.dirname(path.resolve(file)));
  return parent.toLowerCase() === 'user' ? 'user' : 'machine';
}

function fileFailure(file: string, message: string): PolicyFailure {
  return { file, problems: [{ file, line: null, column: null, message }] };
}

/**
 * Reads `file` as a Registry.pol. `folderProblem` (e.g. a world-writable policy folder) makes
 * it a failure without reading it, as for XML files; `strict` checks the file's owner and mode
 * as for the XML files of a machine source (strict-modes.ts). Never throws.
 */
export async function readRegistryPolFile(
  file: string,
  folderProblem?: string,
  strict?: StrictLevel,
): Promise<RegistryPolReadResult> {
  if (folderProblem) return { failure: fileFailure(file, folderProblem), warnings: [] };
  try {
    const info = await stat(file);
    if (!info.isFile()) return { failure: fileFailure(file, 'is not a regular file'), warnings: [] };
    const untrusted = strict ? modeProblem(file, info, strict, systemStrictModesIo) : undefined;
    if (untrusted)
      return { failure: fileFailure(file, `cannot be trusted as a machine policy: ${untrusted}`), warnings: [] };
    if (process.platform !== 'win32' && (info.mode & 0o002) !== 0) {
      return {
        failure: fileFailure(
          file,
          `is writable by every user, so it cannot be trusted as an admin policy; run: chmod o-w ${file}`,
        ),
        warnings: [],
      };
    }
    if (info.size > MAX_REGISTRY_POL_BYTES)
      return {
        failure: fileFailure(file, `is ${info.size} bytes; a Registry.pol ftpsctl reads is at most 16 MiB`),
        warnings: [],
      };
    const bytes = await readFile(file);
    const result = registryPolToPolicy(bytes, file, registryPolScope(file));
    if (result.policy) return { policy: result.policy, warnings: result.warnings };
    return { failure: { file, problems: result.problems, sha256: result.sha256 }, warnings: result.warnings };
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return { failure: fileFailure(file, 'not found; check the path'), warnings: [] };
    if (code === 'EACCES')
      return {
        failure: fileFailure(file, 'permission denied; make it readable by the users who run ftpsctl (not writable)'),
        warnings: [],
      };
    return { failure: fileFailure(file, `cannot be read: ${errnoInWords(error)}`), warnings: [] };
  }
}

/**
 * The Registry.pol files a policy-folder entry stands for: the entry itself when it is a
 * Registry.pol, `Machine/Registry.pol` or `User/Registry.pol` when it is one of Group Policy's
 * scope folders (a copy of `%SystemRoot%\System32\GroupPolicy`), else undefined (not Group Policy).
 * A world-writable scope folder is a problem of its files, like a world-writable policy folder.
 */
export async function groupPolicyFilesOf(
  folder: string,
  entry: { name: string; isDirectory(): boolean },
  strict?: StrictLevel,
): Promise<Array<{ file: string; folderProblem?: string }> | undefined> {
  const file = path.join(folder, entry.name);
  if (!entry.isDirectory()) return isRegistryPolName(entry.name) ? [{ file }] : undefined;
  if (!isGroupPolicyScopeFolder(entry.name)) return undefined;
  let names: string[];
  let mode: number;
  try {
    names = await readdir(file);
    mode = (await stat(file)).mode;
  } catch {
    return undefined;
  }
  const found = names.filter(isRegistryPolName).sort();
  if (found.length === 0) return undefined;
  const strictProblem = strict ? await folderStrictModesProblem(file, strict) : undefined;
  const folderProblem = strictProblem
    ? `is in ${file}, which cannot be trusted as a machine policy folder: ${strictProblem}`
    : process.platform !== 'win32' && (mode & 0o002) !== 0
      ? `is in ${file}, which is writable by every user, so its policies cannot be trusted; run: chmod o-w ${file}`
      : undefined;
  return found.map((name) => ({ file: path.join(file, name), ...(folderProblem ? { folderProblem } : {}) }));
}
