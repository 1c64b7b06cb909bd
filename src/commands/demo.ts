import path from 'node:path';
import { Flags } from '@oclif/core';
import { FtpsctlCommand } from '../cli/ftpsctl-command';
import { runDemo, type DemoResult } from '../demo/run-demo';
import { ExitCode } from '../errors/exit-codes';
import { packageRoot } from '../package-root';
import { formatProblem } from '../session/profile-error';
import { renderTable } from '../cli/render-table';
import { renderAuditTable } from '../audit/render-audit-table';

export default class Demo extends FtpsctlCommand<DemoResult> {
  static override summary = 'Run the main job on the bundled examples.';
  static override description = 'Validates every example profile, shows what each asks for, and resolves them against the example policies (the audit table). Exits 3 if any example is invalid; a profile refused by policy is part of the demo, not an error.';
  static override flags = {
    profiles: Flags.string({ description: 'folder of profiles to use instead of the bundled examples' }),
    policies: Flags.string({ description: 'folder of policies to use instead of the bundled examples' }),
  };

  async run(): Promise<DemoResult> {
    const { flags } = await this.parse(Demo);
    // Relative paths keep the report's file column short when run from the checkout.
    const directory = path.relative(process.cwd(), flags.profiles ?? path.join(packageRoot(), 'examples', 'profiles')) || '.';
    const policies = path.relative(process.cwd(), flags.policies ?? path.join(packageRoot(), 'policies')) || '.';
    const result = await runDemo(directory, policies);
    this.log(`Session profiles in ${path.relative(process.cwd(), directory) || '.'}:\n`);
    this.log(
      renderTable(
        ['profile', 'endpoint', 'TLS mode', 'versions', 'data', 'server auth', 'FIPS', 'route'],
        result.profiles.filter((p) => p.valid).map((p) => [p.name, p.endpoint, p.mode, p.tls, p.dataChannel, p.authentication, p.fips ? 'yes' : 'no', p.route].map(String)),
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
