import { Args } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import { remotePathArg } from '../../cli/remote-path-arg';

export default class SessionMkdir extends SessionCommand<{ created: string }> {
  static override summary = 'Create a remote folder.';
  static override args = {
    profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }),
    path: remotePathArg('remote folder'),
  };
  static override flags = sessionFlags;

  async run(): Promise<{ created: string } | DryRunResult> {
    const { args, flags } = await this.parse(SessionMkdir);
    return this.inSession(args.profile, flags, async (managed) => {
      await managed.mkdir(args.path);
      this.log(`created ${args.path}`);
      return { created: args.path };
    });
  }
}
