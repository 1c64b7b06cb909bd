/**
 * Reading policy folders and files into a PolicySet. Every file that cannot be used (missing,
 * unreadable, world-writable, malformed, invalid, a duplicate policy name) becomes a failure
 * that refuses the sessions it could apply to; nothing is skipped silently.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parsePolicyBytes } from './parse-policy';
import type { Policy, PolicyFailure } from './policy';
import type { PolicySet, PolicySourceSpec } from './policy-set';
import { folderStrictModesProblem, modeProblem, systemStrictModesIo } from './strict-modes';
import {
  groupPolicyFilesOf,
  isRegistryPolName,
  readRegistryPolFile,
  type RegistryPolReadResult,
} from './group-policy/read-registry-pol';

export const MAX_POLICY_BYTES = 1024 * 1024;

/**
 * The machine policy folder: /etc/ftpsctl/policies (Linux, macOS), %ProgramData%\ftpsctl\policies
 * (Windows). It always applies to sessions when it exists (policy-sources.ts).
 */
export function defaultPolicyDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32')
    return path.win32.join(
      env.ProgramData && env.ProgramData !== '' ? env.ProgramData : 'C:\\ProgramData',
      'ftpsctl',
      'policies',
    );
  return '/etc/ftpsctl/policies';
}

function fileFailure(file: string, message: string): PolicyFailure {
  return { file, problems: [{ file, line: null, column: null, message }] };
}

function worldWritable(mode: number): boolean {
  return process.platform !== 'win32' && (mode & 0o002) !== 0;
}

async function readPolicyFile(
  file: string,
  folderProblem: string | undefined,
  spec: PolicySourceSpec | undefined,
): Promise<{ policy?: Policy; failure?: PolicyFailure }> {
  if (folderProblem) return { failure: fileFailure(file, folderProblem) };
  try {
    const info = await stat(file);
    if (!info.isFile()) return { failure: fileFailure(file, 'is not a regular file') };
    const strict = spec?.strict ? modeProblem(file, info, spec.strict, systemStrictModesIo) : undefined;
    if (strict) return { failure: fileFailure(file, `cannot be trusted as a machine policy: ${strict}`) };
    if (worldWritable(info.mode)) {
      return {
        failure: fileFailure(
          file,
          `is writable by every user, so it cannot be trusted as an admin policy; run: chmod o-w ${file}`,
        ),
      };
    }
    if (info.size > MAX_POLICY_BYTES)
      return { failure: fileFailure(file, `is ${info.size} bytes; a policy file is at most 1 MiB`) };
    const bytes = await readFile(file);
    const parsed = parsePolicyBytes(bytes, file);
    if (parsed.policy) return { policy: parsed.policy };
    const failure: PolicyFailure = { file, problems: parsed.problems, sha256: parsed.sha256 };
    if (parsed.name) failure.name = parsed.name;
    if (parsed.appliesTo) failure.appliesTo = parsed.appliesTo;
    return { failure };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { failure: fileFailure(file, 'not found; check the path') };
    if (code === 'EACCES')
      return {
        failure: fileFailure(file, 'permission denied; make it readable by the users who run ftpsctl (not writable)'),
      };
    return { failure: fileFailure(file, `cannot be read (${code ?? String(error)})`) };
  }
}

/** Caps a policy's rank by its source: a folder the user named gives user scope at most (issue 10). */
function capRank(policy: Policy, spec: PolicySourceSpec, warnings: string[]): Policy {
  const capped: Policy = { ...policy, source: spec.kind };
  if (spec.kind === 'user' && policy.scope === 'machine') {
    capped.scope = 'user';
    capped.declared = { scope: policy.scope, priority: policy.priority };
    warnings.push(
      `${policy.file} claims scope="machine" but was read from ${spec.path} (${spec.origin}), a folder the user names; it ranks as user scope, priority ${policy.priority}. Machine policies belong in the machine folder.`,
    );
  }
  return capped;
}

function missingMessage(spec: PolicySourceSpec | undefined): string {
  if (spec?.origin === '$FTPSCTL_POLICY_DIR')
    return 'not found; check the path given to --policies (or FTPSCTL_POLICY_DIR): $FTPSCTL_POLICY_DIR names this folder; fix the variable or unset it';
  if (spec?.origin === '--policies-only') return 'not found; check the path given to --policies-only';
  return 'not found; check the path given to --policies (or FTPSCTL_POLICY_DIR)';
}

/**
 * Reads the `*.xml` files of each folder (in name order) and each file given. A plain path
 * ranks as its files declare; a source spec caps the rank by its kind (a folder the user
 * names: user scope at most) and, for machine sources, checks ownership and modes like
 * OpenSSH's StrictModes (strict-modes.ts).
 */
export async function loadPolicySet(sources: ReadonlyArray<string | PolicySourceSpec>): Promise<PolicySet> {
  const set: PolicySet = {
    sources: sources.map((s) => (typeof s === 'string' ? s : s.path)),
    policies: [],
    failures: [],
    ignored: [],
    warnings: [],
  };
  const specs = sources.filter((s): s is PolicySourceSpec => typeof s !== 'string');
  if (specs.length > 0) set.specs = specs;
  for (const item of sources) {
    const spec = typeof item === 'string' ? undefined : item;
    const source = typeof item === 'string' ? item : item.path;
    const add = (result: { policy?: Policy; failure?: PolicyFailure }): void => {
      if (result.policy) set.policies.push(spec ? capRank(result.policy, spec, set.warnings) : result.policy);
      if (result.failure) set.failures.push(spec ? { ...result.failure, source: spec.kind } : result.failure);
    };
    // Group Policy's Registry.pol files (src/policy/group-policy): same result shape, plus warnings.
    const addRegistryPol = (result: RegistryPolReadResult): void => {
      add(result);
      set.warnings.push(...result.warnings);
    };
    let info;
    try {
      info = await stat(source);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      add({
        failure: fileFailure(source, code === 'ENOENT' ? missingMessage(spec) : `cannot be read (${code ?? 'error'})`),
      });
      continue;
    }
    if (!info.isDirectory()) {
      const parentProblem = spec?.strict
        ? await folderStrictModesProblem(path.dirname(source), spec.strict)
        : undefined;
      const problem = parentProblem
        ? `is in a folder that cannot be trusted for machine policies: ${parentProblem}`
        : undefined;
      if (isRegistryPolName(path.basename(source)))
        addRegistryPol(await readRegistryPolFile(source, problem, spec?.strict));
      else add(await readPolicyFile(source, problem, spec));
      continue;
    }
    const strictProblem = spec?.strict ? await folderStrictModesProblem(source, spec.strict) : undefined;
    const folderProblem = strictProblem
      ? `is in ${source}, which cannot be trusted as a machine policy folder: ${strictProblem}`
      : worldWritable(info.mode)
        ? `is in ${source}, which is writable by every user, so its policies cannot be trusted; run: chmod o-w ${source}`
        : undefined;
    const names = (await readdir(source, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    // An untrusted machine folder refuses every session, even when it holds no policy file yet.
    if (strictProblem)
      add({ failure: fileFailure(source, `cannot be trusted as a machine policy folder: ${strictProblem}`) });
    for (const entry of names) {
      const file = path.join(source, entry.name);
      const groupPolicyFiles = await groupPolicyFilesOf(source, entry, spec?.strict);
      if (groupPolicyFiles) {
        for (const found of groupPolicyFiles)
          addRegistryPol(await readRegistryPolFile(found.file, folderProblem ?? found.folderProblem, spec?.strict));
      } else if (entry.name.endsWith('.xml') && !entry.isDirectory()) {
        add(await readPolicyFile(file, folderProblem, spec));
      } else {
        set.ignored.push(file);
        set.warnings.push(`${file} is not a policy file (*.xml); not read`);
      }
    }
  }
  rejectDuplicateNames(set);
  return set;
}

/** Two files with the same policy name: neither can be trusted to be the one meant. */
function rejectDuplicateNames(set: PolicySet): void {
  const byName = new Map<string, Policy[]>();
  for (const policy of set.policies) byName.set(policy.name, [...(byName.get(policy.name) ?? []), policy]);
  for (const [name, policies] of byName) {
    if (policies.length < 2) continue;
    for (const policy of policies) {
      const others = policies.filter((p) => p !== policy).map((p) => p.file);
      set.failures.push({
        file: policy.file,
        name,
        appliesTo: policy.appliesTo,
        sha256: policy.sha256,
        problems: [
          {
            file: policy.file,
            line: policy.line,
            column: policy.column,
            message: `policy name "${name}" is also used by ${others.join(', ')}; policy names must be unique`,
          },
        ],
      });
    }
    set.policies = set.policies.filter((p) => p.name !== name);
  }
}
