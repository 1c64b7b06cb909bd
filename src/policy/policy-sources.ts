/**
 * Which policy sources a command uses (issue 10, DESIGN.md "Additions in wave 2"):
 *  - the machine folder (/etc/ftpsctl/policies; %ProgramData%\ftpsctl\policies on Windows)
 *    always applies to sessions when it exists, checked like OpenSSH's StrictModes, and its
 *    files rank as they declare;
 *  - `--policies DIR` and `$FTPSCTL_POLICY_DIR` ADD sources (user scope at most); they never
 *    remove the machine's. A named folder that is missing refuses, like a broken file;
 *  - `--policies-only DIR` (resolve, audit, policy validate, policy show) is a simulation:
 *    only those files, ranked as declared; sessions have no such flag;
 *  - `$FTPSCTL_MACHINE_POLICY_DIR` stands in for the machine folder (tests, the demo) only
 *    while the real machine folder does not exist, so it cannot drop a real one.
 * No source at all is "unmanaged" (issue 9): the commands say so on stderr.
 */
import { lstatSync } from 'node:fs';
import { defaultPolicyDir, loadPolicySet } from './load-policy-set';
import type { PolicySet, PolicySourceRecord, PolicySourceSpec } from './policy-set';
import { UsageError } from '../errors/ftpsctl-error';

/** The variable that names a stand-in machine folder while the real one does not exist. */
export const MACHINE_OVERRIDE_VARIABLE = 'FTPSCTL_MACHINE_POLICY_DIR';

export interface PolicySourceOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** Whether a path exists (a dangling link counts: it then fails closed when read). */
  exists?: (path: string) => boolean;
  /** How messages name where the added folders came from (default `--policies`; the library says `connect({ policies })`). */
  addedOrigin?: string;
}

/** Only "no such file" means absent: a folder the user may not see (EACCES) still exists, and then fails closed when read. */
const existsAtAll = (file: string): boolean => {
  try {
    lstatSync(file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== 'ENOENT' && code !== 'ENOTDIR';
  }
};

const named = (value: string | undefined): value is string => value !== undefined && value !== '';

/**
 * An empty path names no source (it would read as the current folder, or a file with no name):
 * a usage error (FTPSCTL_ERR_USAGE, exit 2) naming the flag, never a blank "policy file  is unusable".
 */
export function assertNamedSources(paths: readonly string[] | undefined, flag: string): void {
  if ((paths ?? []).some((p) => p.trim() === ''))
    throw new UsageError(`${flag} needs a policy folder or file; it was given an empty value (${flag}=)`);
}

/**
 * The machine sources for sessions, the folders looked in, and what was worth saying. On
 * Windows only the fixed C:\ProgramData\ftpsctl\policies is the machine folder: %ProgramData%
 * is the user's to set, and a folder it names would rank as machine scope, above the
 * administrator's (review D5). A different folder it names is reported, not read.
 */
export function machinePolicySource(options: PolicySourceOptions = {}): {
  spec?: PolicySourceSpec;
  specs: PolicySourceSpec[];
  lookedIn: string[];
  warnings: string[];
} {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsAtAll;
  const platform = options.platform ?? process.platform;
  const candidates = [defaultPolicyDir({}, platform)];
  const real = candidates[0];
  const override = env[MACHINE_OVERRIDE_VARIABLE];
  const existing = candidates.filter((dir) => exists(dir));
  const fromVariable = defaultPolicyDir(env, platform);
  const notes =
    // Windows paths ignore case: C:\ProgramData and c:\programdata are one folder.
    (platform === 'win32' ? fromVariable.toLowerCase() !== real.toLowerCase() : fromVariable !== real) &&
    exists(fromVariable)
      ? [
          `${fromVariable} (from %ProgramData%) is not read as a machine policy folder: only ${real} is, since the variable is any user's to set; name it with --policies to read it with user rank`,
        ]
      : [];
  if (existing.length > 0) {
    const warnings = [
      ...notes,
      ...(named(override)
        ? [
            `$${MACHINE_OVERRIDE_VARIABLE} is ignored: the machine policy folder ${existing[0]} exists, and it always applies`,
          ]
        : []),
    ];
    const specs = existing.map((dir): PolicySourceSpec => ({
      path: dir,
      kind: 'machine',
      origin: 'machine folder',
      strict: 'root',
    }));
    return { spec: specs[0], specs, lookedIn: candidates, warnings };
  }
  if (named(override)) {
    const spec: PolicySourceSpec = {
      path: override,
      kind: 'machine',
      origin: `$${MACHINE_OVERRIDE_VARIABLE} (stands in for ${real}, which does not exist)`,
      strict: 'root-or-self',
    };
    return { spec, specs: [spec], lookedIn: [...candidates, override], warnings: notes };
  }
  return { specs: [], lookedIn: candidates, warnings: notes };
}

/**
 * The policy set of a session (and of resolve and audit without --policies-only): the machine
 * source, then the folders the user added. `managed` is false when there is no source at all.
 */
export async function loadSessionPolicies(
  added: readonly string[] | undefined,
  options: PolicySourceOptions = {},
): Promise<PolicySet> {
  const env = options.env ?? process.env;
  assertNamedSources(added, options.addedOrigin ?? '--policies');
  const machine = machinePolicySource(options);
  const specs: PolicySourceSpec[] = [...machine.specs];
  // OpenSSH's StrictModes for the folders a user names too (issue 12): each file and every folder
  // above it owned by root or the user and not writable by group or others (sticky /tmp allowed).
  for (const dir of added ?? [])
    specs.push({ path: dir, kind: 'user', origin: options.addedOrigin ?? '--policies', strict: 'root-or-self' });
  if (named(env.FTPSCTL_POLICY_DIR))
    specs.push({ path: env.FTPSCTL_POLICY_DIR, kind: 'user', origin: '$FTPSCTL_POLICY_DIR', strict: 'root-or-self' });
  const set = await loadPolicySet(specs);
  set.warnings.unshift(...machine.warnings);
  set.managed = specs.length > 0;
  set.lookedIn = machine.lookedIn;
  return set;
}

/** `--policies-only DIR...`: what-if analysis of exactly these files, ranked as they declare. */
export async function loadSimulationPolicies(dirs: readonly string[]): Promise<PolicySet> {
  assertNamedSources(dirs, '--policies-only');
  const set = await loadPolicySet(
    dirs.map((path) => ({ path, kind: 'simulation' as const, origin: '--policies-only' })),
  );
  set.managed = true;
  set.simulation = true;
  set.lookedIn = [...dirs];
  return set;
}

/** The policies of a command that has both --policies and --policies-only. */
export async function loadCommandPolicies(
  flags: { policies?: readonly string[]; 'policies-only'?: readonly string[] },
  options: PolicySourceOptions = {},
): Promise<PolicySet> {
  const only = flags['policies-only'];
  if (only && only.length > 0) return loadSimulationPolicies(only);
  return loadSessionPolicies(flags.policies, options);
}

/** @deprecated name kept for the library API: the session policy set (machine + added sources). */
export async function loadPoliciesFor(
  flag: readonly string[] | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<PolicySet> {
  return loadSessionPolicies(flag, { env });
}

/** The one stderr line of an unmanaged run (issue 9), or undefined when some policy source exists. */
export function unmanagedNotice(set: PolicySet): string | undefined {
  if (set.managed !== false) return undefined;
  const folders = (set.lookedIn ?? []).join(', ');
  return `ftpsctl: unmanaged: no policy source applies (looked in ${folders || 'no folder'}; no --policies, no $FTPSCTL_POLICY_DIR); settings come from the profile and built-in defaults only`;
}

/** The line every simulation's output starts with. */
export function simulationNotice(set: PolicySet): string | undefined {
  if (!set.simulation) return undefined;
  return `simulation: policies from ${set.sources.join(', ')} only (--policies-only), ranked as they declare; the machine's policies are not read, and no session runs this way`;
}

/** Every policy file of a set as the audit trail names it: path, the scope it ranked as, its source, SHA-256. */
export function policySourceRecords(set: PolicySet): PolicySourceRecord[] {
  return [
    ...set.policies.map((p): PolicySourceRecord => ({
      path: p.file,
      scope: p.scope,
      source: p.source ?? 'file',
      sha256: p.sha256,
      policy: p.name,
      ...(p.declared ? { declaredScope: p.declared.scope } : {}),
      usable: true,
    })),
    ...set.failures.map((f): PolicySourceRecord => ({
      path: f.file,
      scope: f.source === 'machine' ? 'machine' : 'user',
      source: f.source ?? 'file',
      ...(f.sha256 ? { sha256: f.sha256 } : {}),
      ...(f.name ? { policy: f.name } : {}),
      usable: false,
    })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
