import path from 'node:path';
import { Flags } from '@oclif/core';
import { FtpsctlCommand } from '../cli/ftpsctl-command';
import { runDemo, type DemoResult } from '../demo/run-demo';
import { ExitCode } from '../errors/exit-codes';
import { packageRoot } from '../settings/package-root';
import { formatProblem } from '../profile/profile-error';
import { renderTable } from '../text/render-table';
import { renderAuditTable } from '../audit/render-audit-table';
import { runLiveDemo, type LiveDemoResult } from '../demo/live-session-demo';
import { renderResolution } from '../resolve/render-resolution';
import { renderSessionCheck } from '../session/render-session-check';

export interface DemoOutput {
  live: Omit<LiveDemoResult, 'prepared'> & { resolution: LiveDemoResult['prepared']['resolution'] };
  examples: DemoResult;
}

export default class Demo extends FtpsctlCommand<DemoOutput> {
  static override summary =
    'Run the main job: a managed FTPS session against the embedded loopback server, then the bundled examples.';
  static override description =
    'Starts the embedded FTPS server on 127.0.0.1 with a fresh test PKI, writes a demo profile, resolves it against the policies, runs check, put, ls and get (verified by SHA-256) as audited sessions, prints the resolution and the audit trail, and stops the server. Then validates the example profiles and prints their audit table. Exits non-zero if any step fails or an example is invalid; a profile refused by policy is part of the demo, not an error.';
  static override flags = {
    profiles: Flags.string({ description: 'folder of profiles to use instead of the bundled examples' }),
    policies: Flags.string({ description: 'folder of policies to use instead of the bundled examples' }),
    keep: Flags.string({ description: 'keep the live demo files (PKI, profile, audit log) in this folder' }),
  };

  async run(): Promise<DemoOutput> {
    const { flags } = await this.parse(Demo);
    const live = await this.runLive(
      path.relative(process.cwd(), flags.policies ?? path.join(packageRoot(), 'policies')) || '.',
      flags.keep,
    );
    const examples = await this.runExamples(flags.profiles, flags.policies);
    const { prepared, ...rest } = live;
    return { live: { ...rest, resolution: prepared.resolution }, examples };
  }

  private async runLive(policiesDir: string, keep: string | undefined): Promise<LiveDemoResult> {
    this.log('== 1. A managed FTPS session against the embedded loopback server\n');
    const live = await runLiveDemo({
      policiesDir,
      ...(keep ? { workDir: path.resolve(keep) } : {}),
      onStep: (step) => this.log(`${step.ok ? 'ok  ' : 'FAIL'} ${step.step.padEnd(6)} ${step.detail}`),
    });
    this.log(`\nThe demo profile (${live.profileFile}):\n${JSON.stringify(live.profile, null, 2)}\n`);
    this.log(`Its resolution against ${path.relative(process.cwd(), policiesDir) || '.'}:\n`);
    this.log(renderResolution(live.prepared.resolution));
    if (live.check)
      this.log(`\nWhat the session negotiated (ftpsctl session check):\n\n${renderSessionCheck(live.check)}`);
    this.log(`\nThe audit trail (${live.auditLog.length} events, JSON lines):\n`);
    for (const line of live.auditLog) this.log(summariseAuditLine(line));
    this.log(`\nLive session demo finished in ${(live.durationMs / 1000).toFixed(1)} s; the server is stopped.\n`);
    if (live.steps.some((s) => !s.ok)) this.setExitCode(ExitCode.networkFailure);
    return live;
  }

  private async runExamples(profilesFlag: string | undefined, policiesFlag: string | undefined): Promise<DemoResult> {
    this.log('== 2. The example profiles, and their posture under the example policies\n');
    const flags = { profiles: profilesFlag, policies: policiesFlag };
    // Relative paths keep the report's file column short when run from the checkout.
    const directory =
      path.relative(process.cwd(), flags.profiles ?? path.join(packageRoot(), 'examples', 'profiles')) || '.';
    const policies = path.relative(process.cwd(), flags.policies ?? path.join(packageRoot(), 'policies')) || '.';
    const result = await runDemo(directory, policies);
    this.log(`Session profiles in ${path.relative(process.cwd(), directory) || '.'}:\n`);
    this.log(
      renderTable(
        ['profile', 'endpoint', 'TLS mode', 'versions', 'data', 'server auth', 'FIPS', 'route'],
        result.profiles
          .filter((p) => p.valid)
          .map((p) =>
            [p.name, p.endpoint, p.mode, p.tls, p.dataChannel, p.authentication, p.fips ? 'yes' : 'no', p.route].map(
              String,
            ),
          ),
      ),
    );
    const invalid = result.profiles.filter((p) => !p.valid);
    this.log(`\n${result.profiles.length - invalid.length} of ${result.profiles.length} profiles valid.`);
    for (const p of invalid) for (const problem of p.problems) this.log(formatProblem(p.file, problem));
    this.log(`\nResolved against the policies in ${path.relative(process.cwd(), policies) || '.'} (ftpsctl audit):\n`);
    this.log(renderAuditTable(result.audit).trimEnd());
    if (invalid.length > 0 || result.profiles.length === 0) this.setExitCode(ExitCode.invalidInput);
    return result;
  }
}

/** One audit event as a short line: time, action, and its key facts (the full JSON is in the log file). */
function summariseAuditLine(line: string): string {
  const event = JSON.parse(line) as {
    '@timestamp': string;
    event: { action: string; outcome?: string };
    tls?: { version: string; cipher: string };
    file?: { path: string; size: number; hash?: { sha256: string } };
    ftpsctl: { direction?: string; resolution_sha256: string; verified_by?: string };
  };
  const facts: Record<string, string> = {
    'session.start': `resolution ${event.ftpsctl.resolution_sha256.slice(0, 16)}...`,
    'tls.established': event.tls ? `TLS ${event.tls.version} ${event.tls.cipher}` : '',
    transfer: event.file
      ? `${event.ftpsctl.direction} ${event.file.path} ${event.file.size} bytes, verified by ${event.ftpsctl.verified_by}`
      : '',
    'session.end': event.event.outcome ?? '',
  };
  return `${event['@timestamp']}  ${event.event.action.padEnd(15)}  ${facts[event.event.action] ?? ''}`;
}
