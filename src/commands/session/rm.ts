import { Args, Flags } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import { remotePathArg } from '../../cli/remote-path-arg';

export default class SessionRm extends SessionCommand<{ removed: string; folder: boolean }> {
  static override summary = 'Delete a remote file (or an empty folder with --dir).';
  static override args = {
    profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }),
    path: remotePathArg('remote path (as session ls shows it)'),
  };
  static override flags = {
    ...sessionFlags,
    dir: Flags.boolean({ description: 'remove an empty folder (RMD) instead of a file' }),
  };

  async run(): Promise<{ removed: string; folder: boolean } | DryRunResult> {
    const { args, flags } = await this.parse(SessionRm);
    return this.inSession(args.profile, flags, async (managed) => {
      if (flags.dir) await managed.rmdir(args.path);
      else await managed.delete(args.path);
      this.log(`removed ${args.path}`);
      return { removed: args.path, folder: flags.dir };
    });
  }
}
