/**
 * Reading policy folders and files into a PolicySet. Every file that cannot be used (missing,
 * unreadable, world-writable, malformed, invalid, a duplicate policy name) becomes a failure
 * that refuses the sessions it could apply to; nothing is skipped silently.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parsePolicyText, sha256Hex } from './parse-policy';
import type { Policy, PolicyFailure } from './policy';
import type { PolicySet } from './policy-set';

export const MAX_POLICY_BYTES = 1024 * 1024;

/** The policy folder when none is given: $FTPSCTL_POLICY_DIR, else /etc/ftpsctl/policies. */
export function defaultPolicyDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.FTPSCTL_POLICY_DIR && env.FTPSCTL_POLICY_DIR !== '' ? env.FTPSCTL_POLICY_DIR : '/etc/ftpsctl/policies';
}

function fileFailure(file: string, message: string): PolicyFailure {
  return { file, problems: [{ file, line: null, column: null, message }] };
}

function worldWritable(mode: number): boolean {
  return process.platform !== 'win32' && (mode & 0o002) !== 0;
}

async function readPolicyFile(file: string, folderProblem?: string): Promise<{ policy?: Policy; failure?: PolicyFailure }> {
  if (folderProblem) return { failure: fileFailure(file, folderProblem) };
  try {
    const info = await stat(file);
    if (!info.isFile()) return { failure: fileFailure(file, 'is not a regular file') };
    if (worldWritable(info.mode)) {
      return { failure: fileFailure(file, `is writable by every user, so it cannot be trusted as an admin policy; run: chmod o-w ${file}`) };
    }
    if (info.size > MAX_POLICY_BYTES) return { failure: fileFailure(file, `is ${info.size} bytes; a policy file is at most 1 MiB`) };
    const bytes = await readFile(file);
    const parsed = parsePolicyText(bytes.toString('utf8'), file, sha256Hex(bytes));
    if (parsed.policy) return { policy: parsed.policy };
    const failure: PolicyFailure = { file, problems: parsed.problems, sha256: parsed.sha256 };
    if (parsed.name) failure.name = parsed.name;
    if (parsed.appliesTo) failure.appliesTo = parsed.appliesTo;
    return { failure };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { failure: fileFailure(file, 'not found; check the path') };
    if (code === 'EACCES') return { failure: fileFailure(file, 'permission denied; make it readable by the users who run ftpsctl (not writable)') };
    return { failure: fileFailure(file, `cannot be read (${code ?? String(error)})`) };
  }
}

/** Reads the `*.xml` files of each folder (in name order) and each file given. */
export async function loadPolicySet(sources: readonly string[]): Promise<PolicySet> {
  const set: PolicySet = { sources: [...sources], policies: [], failures: [], ignored: [], warnings: [] };
  const add = (result: { policy?: Policy; failure?: PolicyFailure }): void => {
    if (result.policy) set.policies.push(result.policy);
    if (result.failure) set.failures.push(result.failure);
  };
  for (const source of sources) {
    let info;
    try {
      info = await stat(source);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      set.failures.push(fileFailure(source, code === 'ENOENT' ? 'not found; check the path given to --policies (or FTPSCTL_POLICY_DIR)' : `cannot be read (${code ?? 'error'})`));
      continue;
    }
    if (!info.isDirectory()) {
      add(await readPolicyFile(source));
      continue;
    }
    const folderProblem = worldWritable(info.mode) ? `is in ${source}, which is writable by every user, so its policies cannot be trusted; run: chmod o-w ${source}` : undefined;
    const names = (await readdir(source, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      const file = path.join(source, entry.name);
      if (entry.name.endsWith('.xml') && !entry.isDirectory()) {
        add(await readPolicyFile(file, folderProblem));
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
        problems: [{ file: policy.file, line: policy.line, column: policy.column, message: `policy name "${name}" is also used by ${others.join(', ')}; policy names must be unique` }],
      });
    }
    set.policies = set.policies.filter((p) => p.name !== name);
  }
}
