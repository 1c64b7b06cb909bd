import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import { formatBytes, type ProgressTrack } from '../../cli/progress-display';
import type { TransferResult } from '../../engine/ftps-session';
import { UsageError } from '../../errors';
import { printableText } from '../../text/printable-text';
import { partFileFor } from '../../session/download-file';
import { refuseUnlessReplaceable } from '../../session/safe-local-path';
import { remotePathArg } from '../../cli/remote-path-arg';

export default class SessionGet extends SessionCommand<TransferResult & { localPath: string }> {
  static override summary = 'Download a file.';
  static override description =
    'The file arrives under LOCAL.ftpsctl-part and is renamed to LOCAL only after it was verified (transfer.verify: size or hash); a failed or interrupted download never leaves a partial file under the final name. A download the server gives no way to verify (SIZE refused, no HASH) is refused unless transfer.verify is none (exit 6, FTPSCTL_ERR_VERIFY). After a network failure the part file is kept (continue with --resume); after a failed check (wrong size or hash, more bytes than announced) it is deleted. With --resume an existing part file is continued, unless the time MDTM gives for the remote file says it is another file than the one whose start the part holds: then it is downloaded whole. A name too long for LOCAL.ftpsctl-part gets a shortened part name with 8 hex digits of its SHA-256. LOCAL may be a new path or a regular file (replaced); a symbolic link, FIFO, device, socket or folder at LOCAL or LOCAL.ftpsctl-part is refused before anything is transferred and left untouched (exit 6, FTPSCTL_ERR_LOCAL_FILE).';
  static override args = {
    profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }),
    remote: remotePathArg('remote file (as session ls shows it)'),
    local: Args.string({
      ignoreStdin: true,
      description: 'local file (default: the remote name in the current folder)',
    }),
  };
  static override flags = {
    ...sessionFlags,
    resume: Flags.boolean({ description: 'continue an interrupted download from its part file' }),
  };

  async run(): Promise<(TransferResult & { localPath: string }) | DryRunResult> {
    const { args, flags } = await this.parse(SessionGet);
    const local = args.local ?? path.basename(args.remote);
    // A remote name that is not UTF-8 can't be a local name byte for byte (Node would write U+FFFD).
    const notUtf8 = args.local === undefined && !local.isWellFormed();
    if (local === '' || local === '.' || local === '..' || local.endsWith('/') || local.endsWith(path.sep) || notUtf8) {
      throw new UsageError(
        args.local === undefined
          ? `cannot name a local file after ${JSON.stringify(printableText(args.remote))}${notUtf8 ? ' (its name is not UTF-8)' : ''}: give LOCAL, the path of the file to create`
          : `LOCAL ${JSON.stringify(local)} names a folder: give the path of the file to create inside it`,
      );
    }
    if (!flags['dry-run']) {
      // Before connecting: a path that is not a regular file is refused without a wasted login (checked again before RETR and before the rename).
      await refuseUnlessReplaceable(local, 'the download target');
      await refuseUnlessReplaceable(partFileFor(local), 'the part file');
    }
    return this.inSession(args.profile, flags, async (managed) => {
      let track: ProgressTrack | undefined;
      try {
        const progress = this.progress;
        const result = await managed.download(args.remote, local, {
          resume: flags.resume,
          // The total comes from the SIZE the download asks first.
          ...(progress
            ? {
                onRemoteSize: (size: number | undefined) => (track = progress.track(args.remote, size)),
                onProgress: (bytes: number) => track?.update(bytes),
              }
            : {}),
        });
        if (result.partDiscarded) this.logToStderr(`ftpsctl: note: ${result.partDiscarded}`);
        this.log(
          `${args.remote} -> ${local}: ${formatBytes(result.offset + result.bytes)}${result.offset ? ` (resumed at ${result.offset})` : ''}, verified by ${result.verifiedBy}, SHA-256 ${result.sha256 ?? '-'}${result.sha256Range ? ` (of bytes ${result.sha256Range.start}-${result.sha256Range.end - 1}, the part that moved now)` : ''}`,
        );
        return { ...result, localPath: local };
      } finally {
        track?.done();
      }
    });
  }
}
