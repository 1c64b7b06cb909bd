import { Args } from '@oclif/core';
import { FtpsctlCommand } from '../cli/ftpsctl-command';
import { policiesFlag, policiesOnlyFlag } from '../cli/policies-flag';
import { ExitCode } from '../errors/exit-codes';
import { loadCommandPolicies, unmanagedNotice } from '../policy/policy-sources';
import { loadProfile } from '../profile/load-profile';
import { assertPolicyNamedFiles } from '../resolve/policy-named-files';
import { renderResolution } from '../resolve/render-resolution';
import type { Resolution } from '../resolve/resolution';
import { resolveForSession } from '../resolve/resolution-dial-check';
import { resolutionSha256 } from '../session/audit-events';

/** The --json payload: the Resolution plus the resolution_sha256 its sessions' audit events carry. */
export type ResolveResult = Resolution & { resolution_sha256: string };

export default class Resolve extends FtpsctlCommand<ResolveResult> {
  static override summary = 'Show the effective settings of a profile under the policies, and where each came from.';
  static override description =
    'Exits 0 when the session would be allowed, 4 when policy refuses it, 3 when the profile or a policy file that applies is invalid (an unusable policy file refuses every session it could apply to).';
  static override args = { profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }) };
  static override flags = { policies: policiesFlag, 'policies-only': policiesOnlyFlag };
  static override examples = [
    '<%= config.bin %> resolve payroll.json --policies /etc/ftpsctl/policies',
    '<%= config.bin %> resolve payroll.json --json',
    '<%= config.bin %> resolve payroll.json --policies-only ./draft-policies',
  ];

  async run(): Promise<ResolveResult> {
    const { args, flags } = await this.parse(Resolve);
    // Policy sources first: an unmanaged run says so before anything else happens (issue 9).
    const policies = await loadCommandPolicies(flags);
    const notice = unmanagedNotice(policies);
    if (notice) process.stderr.write(`${notice}\n`);
    const loaded = await loadProfile(args.profile);
    const resolution = await resolveForSession(loaded, policies);
    // The profile's own files were checked when it was loaded; a policy's (a mandatory caFile) are checked here.
    await assertPolicyNamedFiles(resolution, args.profile);
    this.log(renderResolution(resolution));
    if (resolution.decision === 'refuse') {
      const brokenPolicy = resolution.violations.some((v) => v.unusablePolicy);
      this.setExitCode(brokenPolicy ? ExitCode.invalidInput : ExitCode.refusedByPolicy);
    }
    return { ...resolution, resolution_sha256: resolutionSha256(resolution) };
  }
}
