import path from 'node:path';
import { stat } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import { formatBytes, type ProgressTrack } from '../../cli/progress-display';
import type { TransferResult } from '../../engine/ftps-session';
import { errnoInWords, UsageError } from '../../errors';
import { optionalRemotePathArg } from '../../cli/remote-path-arg';

export default class SessionPut extends SessionCommand<TransferResult> {
  static override summary = 'Upload a file.';
  static override description =
    'Verified after the upload (transfer.verify: size or hash). With --resume, an upload continues where the remote file ends (APPE at its SIZE), unless MDTM says the remote file was written before the local file last changed: then it cannot be the start of it, and the file is uploaded whole (with a note).';
  static override args = {
    profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }),
    local: Args.string({ ignoreStdin: true, description: 'local file', required: true }),
    remote: optionalRemotePathArg('remote file (default: the local name)'),
  };
  static override flags = {
    ...sessionFlags,
    resume: Flags.boolean({ description: 'continue an interrupted upload from the remote file size' }),
  };

  async run(): Promise<TransferResult | DryRunResult> {
    const { args, flags } = await this.parse(SessionPut);
    const remote = args.remote ?? path.basename(args.local);
    // A wrong LOCAL argument is a usage error (exit 2), found before any connection.
    const info = await stat(args.local).catch((error: unknown) => {
      throw new UsageError(`cannot read ${args.local}: ${errnoInWords(error)}`, { cause: error });
    });
    if (!info.isFile()) throw new UsageError(`${args.local} is not a regular file`);
    return this.inSession(args.profile, flags, async (managed) => {
      let track: ProgressTrack | undefined;
      try {
        track = this.progress?.track(args.local, info.size);
        const progress = track;
        const result = await managed.upload(args.local, remote, {
          resume: flags.resume,
          ...(progress ? { onProgress: (bytes: number) => progress.update(bytes) } : {}),
        });
        if (result.partDiscarded) this.logToStderr(`ftpsctl: note: ${result.partDiscarded}`);
        this.log(
          `${args.local} -> ${remote}: ${formatBytes(result.offset + result.bytes)}${result.offset ? ` (resumed at ${result.offset})` : ''}, verified by ${result.verifiedBy}`,
        );
        return result;
      } finally {
        track?.done();
      }
    });
  }
}
