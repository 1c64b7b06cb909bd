import path from 'node:path';
import { stat } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import { formatBytes, type ProgressTrack } from '../../cli/progress-display';
import type { TransferResult } from '../../engine/ftps-session';
import { errnoInWords, UsageError } from '../../errors';

export default class SessionPut extends SessionCommand<TransferResult> {
  static override summary = 'Upload a file.';
  static override description =
    'Verified after the upload (transfer.verify: size or hash). With --resume, an upload continues where the remote file ends (REST STREAM, else APPE).';
  static override args = {
    profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }),
    local: Args.string({ ignoreStdin: true, description: 'local file', required: true }),
    remote: Args.string({ ignoreStdin: true, description: 'remote file (default: the local name)' }),
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
      const resume = this.resume(managed, flags.resume);
      const started = Date.now();
      let track: ProgressTrack | undefined;
      try {
        let result;
        try {
          const offset = resume ? ((await managed.session.size(remote)) ?? 0) : 0;
          track = this.progress?.track(args.local, info.size);
          const onProgress = track ? (b: number) => track?.update(offset + b) : undefined;
          result = await managed.session.put(args.local, remote, {
            offset,
            sha256: true,
            ...(onProgress ? { onProgress } : {}),
          });
        } catch (error) {
          // As for get: the audit log says which transfer failed and why, not only that the session did.
          await managed
            .recordTransferFailure({ direction: 'upload', remotePath: remote, error, durationMs: Date.now() - started })
            .catch(() => undefined);
          throw error;
        }
        await managed.recordTransfer(result);
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
