import { Args, Flags } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import type { ProgressTrack } from '../../cli/progress-display';
import { ExitCode } from '../../errors/exit-codes';
import { checkMirrorRoot, type MirrorReport } from '../../session/mirror';
import { printableLines } from '../../text/printable-text';
import { remotePathArg } from '../../cli/remote-path-arg';

export default class SessionMirror extends SessionCommand<MirrorReport> {
  static override summary = 'Download a remote tree into a local folder (--reverse: upload a local tree).';
  static override description =
    'Uses transfer.parallel connections, each PROT P with TLS session reuse, and skips unchanged files (same size and modification time). Server names that would leave the target folder ("..", absolute paths, NUL, backslashes, drive letters) are refused and reported, never followed. The walk is bounded: folders deeper than transfer.mirrorMaxDepth, past transfer.mirrorMaxEntries entries, or that contain themselves (the same MLSD unique fact as a folder above; for LIST, the same listing as a folder above) are refused and reported. Local symbolic links inside LOCAL are never followed: a folder or file in the way that is a link, a FIFO, a device or the wrong kind is refused and reported, and left untouched. LOCAL must be a folder (for --reverse, an existing one): otherwise exit 6, FTPSCTL_ERR_LOCAL_FILE. Exit 6 when any file failed.';
  static override args = {
    profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }),
    remote: remotePathArg('remote folder'),
    local: Args.string({ ignoreStdin: true, description: 'local folder', required: true }),
  };
  static override flags = {
    ...sessionFlags,
    reverse: Flags.boolean({ description: 'upload LOCAL to REMOTE instead' }),
    resume: Flags.boolean({ description: 'continue interrupted downloads from their part files' }),
  };

  async run(): Promise<MirrorReport | DryRunResult> {
    const { args, flags } = await this.parse(SessionMirror);
    // Before connecting: a missing upload folder, or a file where the folder goes, costs no login.
    if (!flags['dry-run']) await checkMirrorRoot(args.local, flags.reverse ? 'upload' : 'download', { create: false });
    return this.inSession(args.profile, flags, async (managed) => {
      const tracks = new Map<string, ProgressTrack>();
      const report = await managed.mirror({
        direction: flags.reverse ? 'upload' : 'download',
        remote: args.remote,
        local: args.local,
        resume: flags.resume,
        onFileStart: (item) => {
          const track = this.progress?.track(item.remote, item.size);
          if (track) tracks.set(item.remote, track);
          return (bytes) => track?.update(bytes);
        },
        onFileDone: (item) => {
          tracks.get(item.remote)?.done();
          tracks.delete(item.remote);
        },
      });
      // Whole lines (no wrapping): scripts and auditors grep them.
      // Names and reasons come from the server: control characters escaped.
      for (const refused of report.refused) this.logToStderr(`ftpsctl: ${printableLines(refused.reason)}`);
      for (const failed of report.failed)
        this.logToStderr(
          printableLines(
            failed.line !== undefined ? `ftpsctl: ${failed.message}` : `ftpsctl: ${failed.path}: ${failed.message}`,
          ),
        );
      for (const warning of report.warnings) this.logToStderr(`ftpsctl: warning: ${printableLines(warning)}`);
      this.log(
        `${flags.reverse ? 'uploaded' : 'downloaded'} ${report.transferred.length}, unchanged ${report.skipped.length}, refused ${report.refused.length}, failed ${report.failed.length}`,
      );
      if (report.failed.length > 0) this.setExitCode(ExitCode.networkFailure);
      return report;
    });
  }
}
