/**
 * Reading policy folders and files into a PolicySet. Every file that cannot be used (missing,
 * unreadable, world-writable, malformed, invalid, a duplicate policy name) becomes a failure
 * that refuses the sessions it could apply to; nothing is skipped silently.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, errnoInWords } from '../errors/errno-text';
import { parsePolicyBytes } from './parse-policy';
import type { Policy, PolicyFailure } from './policy';
import type { PolicySet, PolicySourceSpec } from './policy-set';
import { MAX_DECLARED_PRIORITY } from './policy-rank';
import { folderStrictModesProblem, modeProblem, systemStrictModesIo } from './strict-modes';
import { groupPolicyFilesOf, isRegistryPolName, readRegistryPolFile } from './group-policy/read-registry-pol';

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
    if (strict) return { failure: fileFailure(file, `cannot be trusted as ${trustedAs(spec)}: ${strict}`) };
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
    const code = errnoCode(error);
    if (code === 'ENOENT') return { failure: fileFailure(file, 'not found; check the path') };
    if (code === 'EACCES')
      return {
        failure: fileFailure(file, 'permission denied; make it readable by the users who run ftpsctl (not writable)'),
      };
    return { failure: fileFailure(file, `cannot be read: ${errnoInWords(error)}`) };
  }
}

/** Caps a policy's rank by its source: a folder the user named gives user scope at most (issue 10). */
function capRank(policy: Policy, spec: PolicySourceSpec, warnings: string[]): Policy {
  const capped: Policy = { ...policy, source: spec.kind };
  // A Registry.pol ranks 1000000 where Group Policy put it; from a folder a user names it gets
  // no more than an XML file may declare, so it never outranks an admin's top user-scope policy.
  if (spec.kind === 'user' && policy.priority > MAX_DECLARED_PRIORITY) {
    capped.priority = MAX_DECLARED_PRIORITY;
    capped.declared = { scope: policy.scope, priority: policy.priority };
  }
  if (spec.kind === 'user' && policy.scope === 'machine') {
    capped.scope = 'user';
    capped.declared = { scope: policy.scope, priority: policy.priority };
    warnings.push(
      `${policy.file} claims scope="machine" but was read from ${spec.path} (${spec.origin}), not from the machine folder; it ranks as user scope, priority ${capped.priority}. Machine policies belong in the machine folder.`,
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

/** Where a file or folder is, independent of the path that reached it: device and inode (realpath where the inode is unknown). */
export async function fileIdentity(file: string): Promise<string> {
  try {
    const info = await stat(file, { bigint: true });
    if (info.ino !== 0n) return `inode:${info.dev}:${info.ino}`;
    return `path:${await realpath(file)}`;
  } catch {
    // Missing or unreadable: the path is all there is (the read then fails closed, once).
    return `path:${path.resolve(file)}`;
  }
}

/** How far a source's files may rank: machine (and read-as-declared) over user. */
function sourceRank(spec: PolicySourceSpec | undefined): number {
  return spec?.kind === 'user' ? 1 : 2;
}

type ReadResult = { policy?: Policy; failure?: PolicyFailure; warnings?: string[] };

/** One way a policy file was reached: by which source, with which inherited problem, and how to read it. */
interface Reach {
  file: string;
  spec: PolicySourceSpec | undefined;
  /** A problem of the folder it was found in (untrusted, world-writable): the file fails without being read. */
  problem: string | undefined;
  read: () => Promise<ReadResult>;
}

/**
 * Of the ways one file was reached, the one it is read by: the highest rank its sources give
 * (the machine folder over a folder the user names); among those, one that carries a folder
 * problem (fail closed), else the first.
 */
function chooseReach(reaches: readonly Reach[]): Reach {
  const best = Math.max(...reaches.map((r) => sourceRank(r.spec)));
  const top = reaches.filter((r) => sourceRank(r.spec) === best);
  return top.find((r) => r.problem !== undefined) ?? top[0];
}

/**
 * Reads the `*.xml` files of each folder (in name order) and each file given. A plain path
 * ranks as its files declare; a source spec caps the rank by its kind (a folder the user
 * names: user scope at most) and, for machine sources, checks ownership and modes like
 * OpenSSH's StrictModes (strict-modes.ts).
 *
 * A file reached more than once (the same folder named twice, a folder and a file in it, a
 * symbolic link to a folder, the machine folder also named by --policies) is one file: it is
 * read once (identity: device and inode), from the source that ranks it highest, and appears
 * once in `policies` or `failures`. Two different files with the same policy name still fail
 * (rejectDuplicateNames). A source reached twice is listed once in `sources`.
 */
export async function loadPolicySet(sources: ReadonlyArray<string | PolicySourceSpec>): Promise<PolicySet> {
  const set: PolicySet = {
    sources: [],
    policies: [],
    failures: [],
    ignored: [],
    warnings: [],
  };
  const specs = sources.filter((s): s is PolicySourceSpec => typeof s !== 'string');
  if (specs.length > 0) set.specs = specs;
  const seenSources = new Set<string>();
  const ignoredIds = new Set<string>();
  /** Every file to read, by identity, in the order first reached. */
  const files = new Map<string, Reach[]>();
  const reach = async (r: Reach): Promise<void> => {
    const id = await fileIdentity(r.file);
    files.set(id, [...(files.get(id) ?? []), r]);
  };
  const sourceFailures: PolicyFailure[] = [];
  const failSource = (spec: PolicySourceSpec | undefined, failure: PolicyFailure): void => {
    sourceFailures.push(spec ? { ...failure, source: spec.kind } : failure);
  };
  for (const item of sources) {
    const spec = typeof item === 'string' ? undefined : item;
    const source = typeof item === 'string' ? item : item.path;
    const sourceKey = await fileIdentity(source);
    if (!seenSources.has(sourceKey)) set.sources.push(source);
    seenSources.add(sourceKey);
    let info;
    try {
      info = await stat(source);
    } catch (error) {
      failSource(
        spec,
        fileFailure(
          source,
          errnoCode(error) === 'ENOENT' ? missingMessage(spec) : `cannot be read: ${errnoInWords(error)}`,
        ),
      );
      continue;
    }
    if (!info.isDirectory()) {
      const parentProblem = spec?.strict
        ? await folderStrictModesProblem(path.dirname(source), spec.strict)
        : undefined;
      const problem = parentProblem
        ? `is in a folder that cannot be trusted for ${spec?.kind === 'machine' ? 'machine policies' : 'policies'}: ${parentProblem}`
        : undefined;
      const read = isRegistryPolName(path.basename(source))
        ? () => readRegistryPolFile(source, problem, spec?.strict)
        : () => readPolicyFile(source, problem, spec);
      await reach({ file: source, spec, problem, read });
      continue;
    }
    const strictProblem = spec?.strict ? await folderStrictModesProblem(source, spec.strict) : undefined;
    const folderProblem = strictProblem
      ? `is in ${source}, which cannot be trusted as ${trustedAs(spec)} folder: ${strictProblem}`
      : worldWritable(info.mode)
        ? `is in ${source}, which is writable by every user, so its policies cannot be trusted; run: chmod o-w ${source}`
        : undefined;
    const names = (await readdir(source, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    // An untrusted machine folder refuses every session, even when it holds no policy file yet.
    if (strictProblem)
      failSource(spec, fileFailure(source, `cannot be trusted as ${trustedAs(spec)} folder: ${strictProblem}`));
    for (const entry of names) {
      const file = path.join(source, entry.name);
      const groupPolicyFiles = await groupPolicyFilesOf(source, entry, spec?.strict);
      if (groupPolicyFiles) {
        for (const found of groupPolicyFiles) {
          const problem = folderProblem ?? found.folderProblem;
          await reach({
            file: found.file,
            spec,
            problem,
            read: () => readRegistryPolFile(found.file, problem, spec?.strict),
          });
        }
      } else if (entry.name.toLowerCase().endsWith('.xml') && !entry.isDirectory()) {
        // Any case: Windows names ignore it (Baseline.XML), as Registry.pol's reader already does.
        await reach({ file, spec, problem: folderProblem, read: () => readPolicyFile(file, folderProblem, spec) });
      } else {
        const id = await fileIdentity(file);
        if (ignoredIds.has(id)) continue;
        ignoredIds.add(id);
        set.ignored.push(file);
        set.warnings.push(`${file} is not a policy file (*.xml); not read`);
      }
    }
  }
  // The same source named twice fails once (a missing folder, an untrusted machine folder).
  const failed = new Set<string>();
  for (const failure of sourceFailures) {
    const key = `${path.resolve(failure.file)}\n${failure.problems.map((p) => p.message).join('\n')}`;
    if (failed.has(key)) continue;
    failed.add(key);
    set.failures.push(failure);
  }
  for (const reaches of files.values()) {
    const chosen = chooseReach(reaches);
    const result = await chosen.read();
    if (result.warnings) set.warnings.push(...result.warnings);
    const spec = chosen.spec;
    if (result.policy) set.policies.push(spec ? capRank(result.policy, spec, set.warnings) : result.policy);
    if (result.failure) set.failures.push(spec ? { ...result.failure, source: spec.kind } : result.failure);
  }
  rejectDuplicateNames(set);
  return set;
}

/** A read policy's rank by where it was found: a folder the user names ranks below the machine folder and direct paths. */
function policyRank(policy: Policy): number {
  return policy.source === 'user' ? 1 : 2;
}

/**
 * Two files with the same policy name: neither can be trusted to be the one meant, unless one
 * of them comes from a higher-ranked source than all the others. A file from a folder the
 * user names can't unseat the machine folder's policy of that name (it would make both
 * unusable, and a failure applies only where its own scope says, so the user would choose
 * which machine rules apply): the user's file fails, the machine file stays.
 */
function rejectDuplicateNames(set: PolicySet): void {
  const byName = new Map<string, Policy[]>();
  for (const policy of set.policies) byName.set(policy.name, [...(byName.get(policy.name) ?? []), policy]);
  const rejected = new Set<Policy>();
  for (const [name, policies] of byName) {
    if (policies.length < 2) continue;
    const top = Math.max(...policies.map(policyRank));
    const winners = policies.filter((p) => policyRank(p) === top);
    const kept = winners.length === 1 ? winners[0] : undefined;
    for (const policy of policies) {
      if (policy === kept) continue;
      rejected.add(policy);
      const others = policies.filter((p) => p !== policy).map((p) => p.file);
      const message = kept
        ? `policy name "${name}" is already used by ${kept.file} (${kept.source === 'machine' ? 'the machine policy folder' : kept.source === 'simulation' ? 'a --policies-only source' : 'a policy file named directly'}), which ranks above this folder: a policy from a folder you name can't reuse that policy's name; rename this one`
        : `policy name "${name}" is also used by ${others.join(', ')}; policy names must be unique`;
      set.failures.push({
        file: policy.file,
        name,
        appliesTo: policy.appliesTo,
        sha256: policy.sha256,
        ...(policy.source !== undefined ? { source: policy.source } : {}),
        problems: [{ file: policy.file, line: policy.line, column: policy.column, message }],
      });
    }
  }
  set.policies = set.policies.filter((p) => !rejected.has(p));
}

/** "a machine policy" or "a policy": what a StrictModes failure says the file can't be trusted as. */
function trustedAs(spec: PolicySourceSpec | undefined): string {
  return spec?.kind === 'machine' ? 'a machine policy' : 'a policy';
}
