import { Args } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { ExitCode } from '../../errors/exit-codes';
import { checkProfileFile } from '../../profile/load-profile';
import { formatProblem } from '../../profile/profile-error';
import type { ProfileProblem } from '../../profile/profile-problems';

export interface ProfileValidateResult {
  results: Array<{ file: string; valid: boolean; errors: ProfileProblem[] }>;
}

export default class ProfileValidate extends FtpsctlCommand<ProfileValidateResult> {
  static override summary = 'Check session profiles against the profile schema.';
  static override description =
    'Prints one line per problem as file:line:col pointer message. Exits 0 when every file is valid, 3 otherwise.';
  static override strict = false;
  static override args = {
    file: Args.string({ ignoreStdin: true, description: 'profile file(s) to check', required: true }),
  };
  static override examples = [
    '<%= config.bin %> profile validate examples/profiles/*.json',
    '<%= config.bin %> profile validate payroll.json --json',
  ];

  async run(): Promise<ProfileValidateResult> {
    const { argv } = await this.parse(ProfileValidate);
    const files = argv as string[];
    const results: ProfileValidateResult['results'] = [];
    for (const file of files) {
      const checked = await checkProfileFile(file);
      results.push({ file, valid: checked.valid, errors: checked.problems });
      if (checked.valid) this.log(`${file}: valid`);
      else for (const problem of checked.problems) this.log(formatProblem(file, problem));
    }
    if (results.some((r) => !r.valid)) this.setExitCode(ExitCode.invalidInput);
    return { results };
  }
}
