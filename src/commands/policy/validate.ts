import path from 'node:path';
import { Args } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { ExitCode } from '../../errors/exit-codes';
import { checkPolicySet } from '../../resolve/check-policy-set';
import { policiesOnlyFlag } from '../../cli/policies-flag';
import { UsageError } from '../../errors/ftpsctl-error';
import {
  loadSessionPolicies,
  loadSimulationPolicies,
  machinePolicySource,
  policySourceRecords,
  simulationNotice,
} from '../../policy/policy-sources';
import { profileScopeWarnings } from '../../policy/profile-scope-warnings';
import type { PolicySourceRecord } from '../../resolve/resolution';
import { formatPolicyProblem, type Policy, type PolicyProblem } from '../../policy/policy';
import type { Conflict, ResolvedSetting } from '../../resolve/resolution';
import { checkPolicyNamedFiles } from '../../resolve/policy-named-files';

/**
 * The files a policy names for reading (a mandatory or recommended tls.pki.caFile, crlFiles,
 * client certificate, proxy.caFile) that could not be read when a session applies the policy:
 * the same check `resolve` and sessions make (resolve/policy-named-files.ts), each at the policy
 * file's line and column. Relative paths are read from the policy file's folder.
 */
export async function policyNamedFileProblems(policy: Policy): Promise<PolicyProblem[]> {
  const settings: Record<string, ResolvedSetting> = {};
  for (const setting of policy.settings) {
    if (setting.value === undefined || (setting.enforce !== 'mandatory' && setting.enforce !== 'recommended')) continue;
    settings[setting.path] = {
      value: setting.value,
      source: 'policy',
      status: 'applied',
      policy: policy.name,
      file: policy.file,
      ...(setting.line > 0 ? { line: setting.line, column: setting.column } : {}),
      ...(setting.registryValue ? { registryValue: setting.registryValue } : {}),
      enforce: setting.enforce,
    };
  }
  // The profile file only anchors paths a policy did not set; every path here is a policy's.
  const problems = await checkPolicyNamedFiles({ settings }, policy.file);
  return problems
    .map((problem) => ({
      file: policy.file,
      line: problem.line ?? null,
      column: problem.line ? (problem.column ?? 1) : null,
      message: problem.detail,
    }))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)); // in the order of the text
}

export interface PolicyValidateResult {
  valid: boolean;
  files: Array<{ file: string; valid: boolean; policy?: string; sha256?: string; problems: PolicyProblem[] }>;
  contradictions: PolicyProblem[];
  conflicts: Conflict[];
  ignored: string[];
  /** Policies that tighten a setting but are scoped only by profile name (a name the user picks). */
  warnings: string[];
  /** True for --policies-only. */
  simulation: boolean;
  policySources: PolicySourceRecord[];
}

export default class PolicyValidate extends FtpsctlCommand<PolicyValidateResult> {
  static override summary = 'Check group-policy files, alone and as a set.';
  static override description =
    'Reads the *.xml files of each folder (in name order) and each file given, together with the machine folder (/etc/ftpsctl/policies), as a session would see them: files outside the machine folder rank as user scope at most. With --policies-only, a simulation: only the folders named, ranked as they declare. Reports every problem as file:line:col message (including files a policy names for reading, such as a mandatory tls.pki.caFile, crlFiles or client certificate, that are missing or not regular files: the check resolve and sessions make), then contradictions between policies that could apply to the same session, and warns about policies that tighten a setting but are scoped only by profile name. Exits 0 when all is valid, 3 otherwise.';
  static override strict = false;
  static override args = {
    path: Args.string({
      ignoreStdin: true,
      description: 'policy file(s) or folder(s) (default: the machine folder)',
      required: false,
    }),
  };
  static override flags = { 'policies-only': policiesOnlyFlag };
  static override examples = [
    '<%= config.bin %> policy validate /etc/ftpsctl/policies',
    '<%= config.bin %> policy validate policies/ --json',
    '<%= config.bin %> policy validate --policies-only ./draft-policies',
  ];

  async run(): Promise<PolicyValidateResult> {
    const { argv, flags } = await this.parse(PolicyValidate);
    const only = flags['policies-only'] ?? [];
    const machine = machinePolicySource();
    // The machine folder named as an argument is the machine source, not a folder the user adds.
    const added = (argv as string[]).filter(
      (p) => !machine.spec || path.resolve(p) !== path.resolve(machine.spec.path),
    );
    if ((argv as string[]).some((p) => p.trim() === ''))
      throw new UsageError('policy validate needs policy folders or files; an argument is empty');
    if (only.length > 0 && argv.length > 0)
      throw new UsageError(
        'give policy folders either as arguments (checked with the machine folder) or with --policies-only (a simulation without it), not both',
      );
    if (only.length === 0 && argv.length === 0 && !machine.spec)
      throw new UsageError(
        `nothing to validate: there is no machine policy folder (${machine.lookedIn.join(', ')}); name policy folders or files, or use --policies-only DIR`,
      );
    const set =
      only.length > 0
        ? await loadSimulationPolicies(only)
        : await loadSessionPolicies(added, { env: { ...process.env, FTPSCTL_POLICY_DIR: '' } });
    const simulation = simulationNotice(set);
    if (simulation) this.log(simulation);
    const check = checkPolicySet(set.policies);
    const fileProblems = await Promise.all(set.policies.map((p) => policyNamedFileProblems(p)));
    const files: PolicyValidateResult['files'] = [
      ...set.policies.map((p, i) => ({
        file: p.file,
        valid: fileProblems[i].length === 0,
        policy: p.name,
        sha256: p.sha256,
        problems: fileProblems[i],
      })),
      ...set.failures.map((f) => ({
        file: f.file,
        valid: false,
        ...(f.name ? { policy: f.name } : {}),
        ...(f.sha256 ? { sha256: f.sha256 } : {}),
        problems: f.problems,
      })),
    ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const valid = files.every((f) => f.valid) && check.contradictions.length === 0;

    for (const file of files) {
      if (file.valid) this.log(`${file.file}: valid (policy ${file.policy})`);
      else for (const problem of file.problems) this.log(formatPolicyProblem(problem));
    }
    for (const problem of check.contradictions) this.log(`${formatPolicyProblem(problem)} [contradiction]`);
    for (const conflict of check.conflicts) this.log(`note: ${conflict.message}`);
    for (const warning of set.warnings) this.log(`note: ${warning}`);
    for (const note of check.notes) this.log(`note: ${note}`);
    const scopeWarnings = profileScopeWarnings(set.policies);
    for (const warning of scopeWarnings) this.log(`warning: ${warning}`);
    if (!valid) this.setExitCode(ExitCode.invalidInput);
    return {
      valid,
      files,
      contradictions: check.contradictions,
      conflicts: check.conflicts,
      ignored: set.ignored,
      warnings: scopeWarnings,
      simulation: set.simulation === true,
      policySources: policySourceRecords(set),
    };
  }
}
