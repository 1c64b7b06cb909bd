import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import { formatBytes, type ProgressTrack } from '../../cli/progress-display';
import type { TransferResult } from '../../engine/ftps-session';
import { downloadFile } from '../../session/download-file';

export default class SessionGet extends SessionCommand<TransferResult & { localPath: string }> {
  static override summary = 'Download a file.';
  static override description =
    'The file arrives under LOCAL.ftpsctl-part and is renamed to LOCAL only after it was verified (transfer.verify: size or hash); a failed or interrupted download never leaves a partial file under the final name. A download the server gives no way to verify (SIZE refused, no HASH) is refused unless transfer.verify is none (exit 6, FTPSCTL_ERR_VERIFY). After a network failure the part file is kept (continue with --resume); after a failed check (wrong size or hash, more bytes than announced) it is deleted. With --resume an existing part file is continued.';
  static override args = {
    profile: Args.string({ description: 'profile file', required: true }),
    remote: Args.string({ description: 'remote file', required: true }),
    local: Args.string({ description: 'local file (default: the remote name in the current folder)' }),
  };
  static override flags = {
    ...sessionFlags,
    resume: Flags.boolean({ description: 'continue an interrupted download from its part file' }),
  };

  async run(): Promise<(TransferResult & { localPath: string }) | DryRunResult> {
    const { args, flags } = await this.parse(SessionGet);
    const local = args.local ?? path.basename(args.remote);
    return this.inSession(args.profile, flags, async (managed) => {
      const resume = this.resume(managed, flags.resume);
      const started = Date.now();
      let track: ProgressTrack | undefined;
      try {
        let result;
        try {
          const size = await managed.session.size(args.remote);
          track = this.progress?.track(args.remote, size);
          const onProgress = track ? (b: number) => track?.update(b) : undefined;
          result = await downloadFile(managed.session, args.remote, local, { resume, ...(onProgress ? { onProgress } : {}), ...(size !== undefined ? { remoteSize: size } : {}) });
        } catch (error) {
          // The audit log says which transfer failed and why, not only that the session did.
          await managed.recordTransferFailure({ direction: 'download', remotePath: args.remote, error, durationMs: Date.now() - started }).catch(() => undefined);
          throw error;
        }
        await managed.recordTransfer(result);
        this.log(`${args.remote} -> ${local}: ${formatBytes(result.offset + result.bytes)}${result.offset ? ` (resumed at ${result.offset})` : ''}, verified by ${result.verifiedBy}, SHA-256 ${result.sha256 ?? '-'}${result.sha256Range ? ` (of bytes ${result.sha256Range.start}-${result.sha256Range.end - 1}, the part that moved now)` : ''}`);
        return { ...result, localPath: local };
      } finally {
        track?.done();
      }
    });
  }
}
