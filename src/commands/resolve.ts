import { Args } from '@oclif/core';
import { FtpsctlCommand } from '../cli/ftpsctl-command';
import { policiesFlag } from '../cli/policies-flag';
import { ExitCode } from '../errors/exit-codes';
import { loadPoliciesFor } from '../policy/policy-sources';
import { loadProfile } from '../session/load-profile';
import { renderResolution } from '../session/render-resolution';
import type { Resolution } from '../session/resolution';
import { resolveProfile } from '../session/resolve-profile';

export default class Resolve extends FtpsctlCommand<Resolution> {
  static override summary = 'Show the effective settings of a profile under the policies, and where each came from.';
  static override description =
    'Exits 0 when the session would be allowed, 4 when policy refuses it, 3 when the profile or a policy file that applies is invalid (an unusable policy file refuses every session it could apply to).';
  static override args = { profile: Args.string({ description: 'profile file', required: true }) };
  static override flags = { policies: policiesFlag };
  static override examples = ['<%= config.bin %> resolve payroll.json --policies /etc/ftpsctl/policies', '<%= config.bin %> resolve payroll.json --json'];

  async run(): Promise<Resolution> {
    const { args, flags } = await this.parse(Resolve);
    const loaded = await loadProfile(args.profile);
    const resolution = resolveProfile(loaded, await loadPoliciesFor(flags.policies));
    this.log(renderResolution(resolution));
    if (resolution.decision === 'refuse') {
      const brokenPolicy = resolution.violations.some((v) => v.path === '' && v.message.startsWith('policy file '));
      this.setExitCode(brokenPolicy ? ExitCode.invalidInput : ExitCode.refusedByPolicy);
    }
    return resolution;
  }
}
