import { writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { errnoCode, errnoInWords } from '../../errors/errno-text';
import { UsageError } from '../../errors/ftpsctl-error';
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
    try {
      await writeFile(args.file, text, { flag: flags.force ? 'w' : 'wx', mode: 0o600 });
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST')
        throw new UsageError(`${args.file} already exists; use --force to overwrite it`, {
          code: 'FTPSCTL_ERR_FILE_EXISTS',
          cause: error,
        });
      if (code === 'EISDIR')
        throw new UsageError(
          `${args.file} is a directory; give a file name such as ${args.file.replace(/\/$/, '')}/profile.json`,
          { cause: error },
        );
      throw new UsageError(`cannot write ${args.file}: ${errnoInWords(error)}`, { cause: error });
    }
    this.log(`wrote ${args.file}`);
    return { file: args.file, profile };
  }
}
