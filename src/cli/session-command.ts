/**
 * What every `ftpsctl session ...` command shares: the flags (--policies, --audit-log,
 * --dry-run), the refusal before any connection, secrets from their sources, the audit
 * trail, and a clean end (session.end written, sockets closed) on success, error or Ctrl-C.
 */
import { Flags } from '@oclif/core';
import { ExitCode } from '../errors/exit-codes';
import { FtpsctlError } from '../errors';
import { loadPoliciesFor } from '../policy/policy-sources';
import { inManagedSession, prepareSession, type ManagedSession, type PreparedSession } from '../session/managed-session';
import { renderResolution } from '../session/render-resolution';
import type { Resolution } from '../session/resolution';
import { FtpsctlCommand } from './ftpsctl-command';
import { policiesFlag } from './policies-flag';
import { ProgressDisplay } from './progress-display';
import { terminalPrompt } from './terminal-prompt';

export const sessionFlags = {
  policies: policiesFlag,
  'audit-log': Flags.string({ description: 'also append the audit events to this JSON-lines file (a policy may name another one too)', multiple: true, multipleNonGreedy: true }),
  'dry-run': Flags.boolean({ description: 'print the resolution the session would use, and connect to nothing' }),
};

export interface DryRunResult {
  dryRun: true;
  resolution: Resolution;
}

export abstract class SessionCommand<T> extends FtpsctlCommand<T | DryRunResult> {
  protected progress?: ProgressDisplay;

  protected async prepare(profileFile: string, flags: { policies?: string[] }): Promise<PreparedSession> {
    return prepareSession(profileFile, await loadPoliciesFor(flags.policies));
  }

  /** Runs `work` in a managed session; a dry run prints the resolution instead. */
  protected async inSession<R extends T>(profileFile: string, flags: { policies?: string[]; 'audit-log'?: string[]; 'dry-run'?: boolean }, work: (managed: ManagedSession) => Promise<R>): Promise<R | DryRunResult> {
    const prepared = await this.prepare(profileFile, flags);
    if (flags['dry-run']) {
      this.log(renderResolution(prepared.resolution));
      return { dryRun: true, resolution: prepared.resolution };
    }
    this.progress = ProgressDisplay.for(process.stderr, this.jsonEnabled());
    let managed: ManagedSession | undefined;
    let interrupted = false;
    const onInterrupt = (): void => {
      // Ctrl-C: end the audit trail and the connections; a download's part file is never under the final name.
      // A second Ctrl-C while that runs must not cut the session.end line short.
      if (interrupted) return;
      interrupted = true;
      this.progress?.stop();
      const ending = managed ? managed.end(new FtpsctlError('FTPSCTL_ERR_INTERRUPTED', 'interrupted by the user (SIGINT)')) : Promise.resolve();
      void ending.finally(() => process.exit(ExitCode.interrupted));
    };
    process.on('SIGINT', onInterrupt);
    try {
      return await inManagedSession(prepared, this.sessionOptions(flags['audit-log']), work, (started) => (managed = started));
    } finally {
      process.off('SIGINT', onInterrupt);
      this.progress.stop();
    }
  }

  /** `--resume` only where transfer.resume (profile or policy) allows it. */
  protected resume(managed: ManagedSession, requested: boolean): boolean {
    if (requested && !managed.prepared.settings.transfer.resume) {
      throw new FtpsctlError('FTPSCTL_ERR_USAGE', `--resume is turned off for profile ${managed.prepared.settings.name} by transfer.resume (see ftpsctl resolve); run without --resume`);
    }
    return requested;
  }

  protected sessionOptions(auditLogs: string[] | undefined): Parameters<typeof ManagedSession.start>[1] {
    const prompt = terminalPrompt();
    return { secrets: { env: process.env, ...(prompt ? { prompt } : {}) }, ...(auditLogs ? { auditLogFiles: auditLogs } : {}) };
  }
}
