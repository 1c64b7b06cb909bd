import { Args, Flags } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { writeUserFile } from '../../files/write-user-file';
import { ProfileError } from '../../profile/profile-error';
import { profileTemplate } from '../../profile/profile-template';
import { profileSchemaFile } from '../../settings/package-root';
import { validateProfileText } from '../../profile/validate-profile';
import type { SessionProfile } from '../../settings/generated/session-profile';

export interface ProfileInitResult {
  file: string;
  profile: SessionProfile;
}

export default class ProfileInit extends FtpsctlCommand<ProfileInitResult> {
  static override summary = 'Write a new, valid session profile.';
  static override description =
    'The profile points its $schema at the ftpsctl schema so editors complete and check it. With --user the password is asked for at session start ("prompt"); edit it to {"env": "VAR"} or {"file": "path"} for unattended use.';
  static override args = {
    file: Args.string({ ignoreStdin: true, description: 'where to write the profile (*.json)', required: true }),
  };
  static override flags = {
    name: Flags.string({ description: 'profile name', required: true }),
    host: Flags.string({ description: 'FTP server host name or address', required: true }),
    user: Flags.string({ description: 'login name' }),
    implicit: Flags.boolean({ description: 'implicit TLS (port 990) instead of explicit AUTH TLS (port 21)' }),
    fips: Flags.boolean({ description: 'run in FIPS mode' }),
    force: Flags.boolean({ description: 'overwrite an existing file' }),
  };
  static override examples = [
    '<%= config.bin %> profile init payroll.json --name payroll --host ftp.example.com --user alice',
  ];

  async run(): Promise<ProfileInitResult> {
    const { args, flags } = await this.parse(ProfileInit);
    const profile = profileTemplate({ ...flags, file: args.file, schemaFile: profileSchemaFile() });
    const text = `${JSON.stringify(profile, null, 2)}\n`;
    // The flags become profile values: check them with the same rules as any profile.
    const validation = validateProfileText(text);
    if (!validation.valid)
      throw new ProfileError(
        '(flags)',
        validation.problems.map((p) => ({ ...p, line: null, column: null })),
      );
    await writeUserFile(args.file, text, {
      overwrite: flags.force,
      mode: 0o600,
      what: 'the profile',
      exampleName: 'profile.json',
    });
    this.log(`wrote ${args.file}`);
    return { file: args.file, profile };
  }
}
