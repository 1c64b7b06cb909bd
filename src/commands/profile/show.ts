import { Args } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { loadProfile } from '../../profile/load-profile';
import { describeSettings, type SettingValue } from '../../settings/describe-settings';
import type { EffectiveProfile } from '../../settings/generated/effective-profile';

export interface ProfileShowResult {
  file: string;
  profile: EffectiveProfile;
  settings: SettingValue[];
}

export default class ProfileShow extends FtpsctlCommand<ProfileShowResult> {
  static override summary = 'Show a profile with every default applied.';
  static override description =
    'One line per setting: its value and whether the profile set it or it is the default. Policies are not applied here; see `ftpsctl resolve`.';
  static override args = { file: Args.string({ ignoreStdin: true, description: 'profile file', required: true }) };
  static override examples = [
    '<%= config.bin %> profile show payroll.json',
    '<%= config.bin %> profile show payroll.json --json',
  ];

  async run(): Promise<ProfileShowResult> {
    const { args } = await this.parse(ProfileShow);
    const loaded = await loadProfile(args.file);
    const settings = describeSettings(loaded.raw, loaded.profile);
    const width = Math.max(...settings.map((s) => s.path.length));
    this.log(`${loaded.profile.name} (${args.file})`);
    for (const s of settings)
      this.log(
        `  ${s.path.padEnd(width)}  ${s.value === undefined ? '(not set)' : JSON.stringify(s.value)}  ${s.source === 'unset' ? '' : `[${s.source}]`}`.trimEnd(),
      );
    return { file: args.file, profile: loaded.profile, settings };
  }
}
