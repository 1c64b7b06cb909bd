/**
 * What every `ftpsctl session ...` command shares: the flags (--policies, --audit-log,
 * --dry-run), the refusal before any connection, secrets from their sources, the audit
 * trail, and a clean end (session.end written, sockets closed) on success, error or Ctrl-C.
 */
import { Flags } from '@oclif/core';
import { exitCodeForSignal } from '../errors/exit-codes';
import { InterruptedError, type InterruptSignal } from '../errors';
import { loadSessionPolicies, policySourceRecords, unmanagedNotice } from '../policy/policy-sources';
import type { PolicySet } from '../policy/policy-set';
import { openManagedSession } from '../session/connect';
import type { ManagedSession, ManagedSessionOptions } from '../session/managed-session';
import { prepareSession } from '../session/prepare-session';
import { renderResolution } from '../resolve/render-resolution';
import type { Resolution } from '../resolve/resolution';
import type { ProtocolLogLine } from '../engine/control-connection';
import { formatProtocolLine } from '../engine/debug-log';
import { FtpsctlCommand } from './ftpsctl-command';
import { auditLogFlag, policiesFlag } from './policies-flag';
import { ProgressDisplay } from './progress-display';
import { terminalPrompt } from './terminal-prompt';

export const sessionFlags = {
  policies: policiesFlag,
  'audit-log': auditLogFlag,
  'dry-run': Flags.boolean({ description: 'print the resolution the session would use, and connect to nothing' }),
  debug: Flags.boolean({
    description:
      'print the protocol on stderr: > commands (PASS masked), < replies, * TLS handshakes (as curl -v); NODE_DEBUG=ftpsctl does the same',
  }),
};

export interface DryRunResult {
  dryRun: true;
  resolution: Resolution;
}

export abstract class SessionCommand<T> extends FtpsctlCommand<T | DryRunResult> {
  protected progress?: ProgressDisplay;
  private policySet?: Promise<PolicySet>;
  private loaded?: PolicySet;

  /**
   * Reads the policy sources before anything else: the machine folder always, plus --policies
   * and $FTPSCTL_POLICY_DIR (issue 10); with none at all, the one "unmanaged" line (issue 9).
   */
  override async init(): Promise<void> {
    await super.init();
    let added: string[] | undefined;
    try {
      added = ((await this.parse(this.ctor)).flags as { policies?: string[] }).policies;
    } catch {
      return; // run() parses again and reports the usage error
    }
    this.policySet = loadSessionPolicies(added);
    const set = await this.policySet;
    this.loaded = set;
    const notice = unmanagedNotice(set);
    if (notice) process.stderr.write(`${notice}\n`);
    // Files that claim more rank than their folder gives are named, in one line (they rank by their source).
    const claiming = set.policies.filter((p) => p.declared);
    if (claiming.length > 0)
      process.stderr.write(
        `ftpsctl: note: ${claiming.map((p) => p.file).join(', ')} claim${claiming.length === 1 ? 's' : ''} scope="machine", but a folder the user names ranks as user scope at most; ranked as user scope (see ftpsctl resolve)\n`,
      );
  }

  /** Every --json result says whether a policy source governed the session (issue 9). */
  protected override toSuccessJson(result: unknown): unknown {
    if (result && typeof result === 'object' && !Array.isArray(result) && this.loaded)
      return {
        ...(result as object),
        managed: this.loaded.managed !== false,
        policySources: policySourceRecords(this.loaded),
      };
    return result;
  }

  /**
   * Runs `work` in a managed session opened through the library's front door
   * (`openManagedSession`, as `connect()` does); a dry run prints the resolution instead.
   * A refusal (policy or input check) is written to the audit logs as session.refused first.
   */
  protected async inSession<R extends T>(
    profileFile: string,
    flags: { policies?: string[]; 'audit-log'?: string[]; 'dry-run'?: boolean; debug?: boolean },
    work: (managed: ManagedSession) => Promise<R>,
  ): Promise<R | DryRunResult> {
    const policies = await (this.policySet ?? loadSessionPolicies(flags.policies));
    if (flags['dry-run']) {
      // A dry run is not a session: nothing to audit.
      const prepared = await prepareSession(profileFile, policies);
      this.log(renderResolution(prepared.resolution));
      return { dryRun: true, resolution: prepared.resolution };
    }
    this.progress = ProgressDisplay.for(process.stderr, this.jsonEnabled());
    let managed: ManagedSession | undefined;
    let interruptedBy: InterruptSignal | undefined;
    const onSignal = (signal: InterruptSignal): void => {
      // Ctrl-C, a service manager's SIGTERM or a closed terminal's SIGHUP: end the audit trail and the
      // connections; a download's part file is never under the final name and is stamped for --resume.
      // A second signal while that runs must not cut the session.end line short.
      if (interruptedBy) return;
      interruptedBy = signal;
      this.progress?.stop();
      const ending = managed ? managed.end(new InterruptedError(signal, interruptedText(signal))) : Promise.resolve();
      void ending.finally(() => process.exit(exitCodeForSignal(signal)));
    };
    for (const signal of INTERRUPT_SIGNALS) process.on(signal, onSignal);
    try {
      managed = await openManagedSession(profileFile, policies, this.sessionOptions(flags['audit-log'], flags.debug));
      let value: R;
      try {
        value = await work(managed);
      } catch (error) {
        await managed.end(error);
        throw error;
      }
      await managed.end();
      return value;
    } catch (error) {
      // The signal closed the connections under the running transfer: its failure is the interruption, not the server's.
      if (interruptedBy)
        throw new InterruptedError(
          interruptedBy,
          `${interruptedText(interruptedBy)}; a download in progress is kept in its part file (LOCAL.ftpsctl-part; a shortened name with a hash for very long names): run the same command with --resume to continue`,
          { cause: error },
        );
      throw error;
    } finally {
      for (const signal of INTERRUPT_SIGNALS) process.off(signal, onSignal);
      this.progress.stop();
    }
  }

  protected sessionOptions(auditLogs: string[] | undefined, debug = false): ManagedSessionOptions {
    const prompt = terminalPrompt();
    return {
      secrets: { env: process.env, ...(prompt ? { prompt } : {}) },
      ...(auditLogs ? { auditLogFiles: auditLogs } : {}),
      // stderr is redacted (cli/redacted-output.ts): a password a server echoes is not shown here either.
      ...(debug
        ? {
            engine: {
              log: (entry: ProtocolLogLine) => process.stderr.write(`ftpsctl: ${formatProtocolLine(entry)}\n`),
            },
          }
        : {}),
    };
  }
}

/** The signals a session ends cleanly on; any other one ends the process as Node does by default. */
const INTERRUPT_SIGNALS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function interruptedText(signal: InterruptSignal): string {
  return signal === 'SIGINT' ? 'interrupted by the user (SIGINT)' : `stopped by ${signal}`;
}
