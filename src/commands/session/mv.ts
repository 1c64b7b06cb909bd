import { Args } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import { remotePathArg } from '../../cli/remote-path-arg';

export default class SessionMv extends SessionCommand<{ from: string; to: string }> {
  static override summary = 'Rename or move a remote file or folder.';
  static override args = {
    profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }),
    from: remotePathArg('remote path (as session ls shows it)'),
    to: remotePathArg('new remote path'),
  };
  static override flags = sessionFlags;

  async run(): Promise<{ from: string; to: string } | DryRunResult> {
    const { args, flags } = await this.parse(SessionMv);
    return this.inSession(args.profile, flags, async (managed) => {
      await managed.rename(args.from, args.to);
      this.log(`renamed ${args.from} -> ${args.to}`);
      return { from: args.from, to: args.to };
    });
  }
}
