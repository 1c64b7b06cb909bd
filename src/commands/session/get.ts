import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import { formatBytes } from '../../cli/progress-display';
import type { TransferResult } from '../../engine/ftps-session';
import { downloadFile } from '../../session/download-file';

export default class SessionGet extends SessionCommand<TransferResult & { localPath: string }> {
  static override summary = 'Download a file.';
  static override description =
    'The file arrives under LOCAL.ftpsctl-part and is renamed to LOCAL only after it was verified (transfer.verify: size or hash); a failed or interrupted download never leaves a partial file under the final name. With --resume an existing part file is continued.';
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
      const size = await managed.session.size(args.remote);
      const track = this.progress?.track(args.remote, size);
      try {
        const result = await downloadFile(managed.session, args.remote, local, { resume: this.resume(managed, flags.resume), ...(track ? { onProgress: (b: number) => track.update(b) } : {}), ...(size !== undefined ? { remoteSize: size } : {}) });
        await managed.recordTransfer(result);
        this.log(`${args.remote} -> ${local}: ${formatBytes(result.offset + result.bytes)}${result.offset ? ` (resumed at ${result.offset})` : ''}, verified by ${result.verifiedBy}, SHA-256 ${result.sha256 ?? '-'}`);
        return { ...result, localPath: local };
      } finally {
        track?.done();
      }
    });
  }
}
