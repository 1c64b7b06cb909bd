import { Args, Flags } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import type { ProgressTrack } from '../../cli/progress-display';
import { ExitCode } from '../../errors/exit-codes';
import { ManagedSession } from '../../session/managed-session';
import { planDownload, planUpload, runMirror, type MirrorReport, type MirrorWorker } from '../../session/mirror';

export default class SessionMirror extends SessionCommand<MirrorReport> {
  static override summary = 'Download a remote tree into a local folder (--reverse: upload a local tree).';
  static override description =
    'Uses transfer.parallel connections, each PROT P with TLS session reuse, and skips unchanged files (same size and modification time). Server names that would leave the target folder ("..", absolute paths, NUL, backslashes, drive letters) are refused and reported, never followed. Exit 6 when any file failed.';
  static override args = {
    profile: Args.string({ description: 'profile file', required: true }),
    remote: Args.string({ description: 'remote folder', required: true }),
    local: Args.string({ description: 'local folder', required: true }),
  };
  static override flags = {
    ...sessionFlags,
    reverse: Flags.boolean({ description: 'upload LOCAL to REMOTE instead' }),
    resume: Flags.boolean({ description: 'continue interrupted downloads from their part files' }),
  };

  async run(): Promise<MirrorReport | DryRunResult> {
    const { args, flags } = await this.parse(SessionMirror);
    return this.inSession(args.profile, flags, async (managed) => {
      const session = managed.session;
      const plan = flags.reverse ? await planUpload(session, args.local, args.remote) : await planDownload(session, args.remote, args.local);
      const tracks = new Map<string, ProgressTrack>();
      const first: MirrorWorker = { session, record: (r) => managed.recordTransfer(r), end: async () => undefined };
      const report = await runMirror(plan, first, {
        parallel: managed.prepared.settings.transfer.parallel,
        resume: this.resume(managed, flags.resume),
        openWorker: async () => {
          const worker = await ManagedSession.start(managed.prepared, { ...this.sessionOptions(flags['audit-log']), credentials: managed.credentials });
          return { session: worker.session, record: (r) => worker.recordTransfer(r), end: (e) => worker.end(e) };
        },
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
      for (const refused of report.refused) this.logToStderr(`ftpsctl: ${refused.reason}`);
      for (const failed of report.failed) this.logToStderr(`ftpsctl: ${failed.path}: ${failed.message}`);
      this.log(`${flags.reverse ? 'uploaded' : 'downloaded'} ${report.transferred.length}, unchanged ${report.skipped.length}, refused ${report.refused.length}, failed ${report.failed.length}`);
      if (report.failed.length > 0) this.setExitCode(ExitCode.networkFailure);
      return report;
    });
  }
}
