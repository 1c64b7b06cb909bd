import { Args } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { ExitCode } from '../../errors/exit-codes';
import { checkPolicySet } from '../../policy/check-policy-set';
import { loadPolicySet } from '../../policy/load-policy-set';
import { formatPolicyProblem, type PolicyProblem } from '../../policy/policy';
import type { Conflict } from '../../session/resolution';

export interface PolicyValidateResult {
  valid: boolean;
  files: Array<{ file: string; valid: boolean; policy?: string; sha256?: string; problems: PolicyProblem[] }>;
  contradictions: PolicyProblem[];
  conflicts: Conflict[];
  ignored: string[];
}

export default class PolicyValidate extends FtpsctlCommand<PolicyValidateResult> {
  static override summary = 'Check group-policy files, alone and as a set.';
  static override description =
    'Reads the *.xml files of each folder (in name order) and each file given. Reports every problem as file:line:col message, then contradictions between policies that could apply to the same session. Exits 0 when all is valid, 3 otherwise.';
  static override strict = false;
  static override args = { path: Args.string({ description: 'policy file(s) or folder(s)', required: true }) };
  static override examples = ['<%= config.bin %> policy validate /etc/ftpsctl/policies', '<%= config.bin %> policy validate policies/ --json'];

  async run(): Promise<PolicyValidateResult> {
    const { argv } = await this.parse(PolicyValidate);
    const set = await loadPolicySet(argv as string[]);
    const check = checkPolicySet(set.policies);
    const files: PolicyValidateResult['files'] = [
      ...set.policies.map((p) => ({ file: p.file, valid: true, policy: p.name, sha256: p.sha256, problems: [] })),
      ...set.failures.map((f) => ({ file: f.file, valid: false, ...(f.name ? { policy: f.name } : {}), ...(f.sha256 ? { sha256: f.sha256 } : {}), problems: f.problems })),
    ].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const valid = set.failures.length === 0 && check.contradictions.length === 0;

    for (const file of files) {
      if (file.valid) this.log(`${file.file}: valid (policy ${file.policy})`);
      else for (const problem of file.problems) this.log(formatPolicyProblem(problem));
    }
    for (const problem of check.contradictions) this.log(`${formatPolicyProblem(problem)} [contradiction]`);
    for (const conflict of check.conflicts) this.log(`note: ${conflict.message}`);
    for (const warning of set.warnings) this.log(`note: ${warning}`);
    if (!valid) this.setExitCode(ExitCode.invalidInput);
    return { valid, files, contradictions: check.contradictions, conflicts: check.conflicts, ignored: set.ignored };
  }
}
