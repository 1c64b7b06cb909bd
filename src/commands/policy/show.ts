import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { policiesFlag, policiesOnlyFlag } from '../../cli/policies-flag';
import { renderTable } from '../../text/render-table';
import { ExitCode } from '../../errors/exit-codes';
import { buildPolicyOverview, type PolicyOverview } from '../../policy/group-policy/policy-overview';
import { formatPolicyProblem } from '../../policy/policy';
import { loadCommandPolicies, simulationNotice, unmanagedNotice } from '../../policy/policy-sources';

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function appliesText(appliesTo: PolicyOverview['values'][number]['appliesTo']): string {
  const parts = [
    ...(appliesTo.profiles.length ? [`profiles ${appliesTo.profiles.join(',')}`] : []),
    ...(appliesTo.hosts.length ? [`hosts ${appliesTo.hosts.join(',')}`] : []),
  ];
  return parts.length ? parts.join('; ') : 'all';
}

/** The overview as text: one row per policy value, then conflicts, unusable files and notes. */
export function renderPolicyOverview(overview: PolicyOverview): string {
  const rows = overview.values.map((v) => [
    v.path,
    show(v.value),
    v.enforce,
    v.scope,
    v.status,
    appliesText(v.appliesTo),
    `${v.policy} (${v.source})`,
  ]);
  const lines = [
    overview.values.length
      ? renderTable(['setting', 'value', 'enforce', 'scope', 'status', 'applies to', 'source'], rows)
      : 'no policy value is set by any source',
  ];
  const beaten = overview.values.filter((v) => v.winner);
  if (beaten.length) {
    lines.push('', 'superseded and overridden values:');
    for (const v of beaten)
      lines.push(
        `  ${v.path} ${show(v.value)} (${v.policy}, ${v.source}) loses to ${show(v.winner?.value)} (${v.winner?.policy}, ${v.winner?.source})`,
      );
  }
  if (overview.conflicts.length) {
    lines.push('', 'conflicts between sources:');
    for (const c of overview.conflicts)
      lines.push(
        `  ${c.kind === 'contradiction' ? 'contradiction (refuses the sessions it covers)' : 'conflict'}: ${c.message}`,
      );
  }
  if (overview.failures.length) {
    lines.push('', 'unusable policy files (each refuses every session it could apply to):');
    for (const f of overview.failures) for (const p of f.problems) lines.push(`  ${formatPolicyProblem(p)}`);
  }
  for (const w of overview.warnings) lines.push(`note: ${w}`);
  return lines.join('\n');
}

export default class PolicyShow extends FtpsctlCommand<PolicyOverview> {
  static override summary =
    'Show every policy value that applies on this machine, from XML files and Group Policy (Registry.pol), and who wins.';
  static override description =
    "Like chrome://policy: one row per policy value with its enforcement, scope, status (active, superseded, overridden, constraint), the profiles and hosts it covers, and its source: file:line for a policy file, file: registry value for a Registry.pol. Then the conflicts between sources and the files that cannot be used. Reads the machine's policy folder plus --policies and $FTPSCTL_POLICY_DIR, as sessions do; --policies-only shows just the given folders (a simulation). Exits 3 when a policy file is unusable or policies contradict each other.";
  static override flags = {
    policies: policiesFlag,
    'policies-only': policiesOnlyFlag,
  };
  static override examples = [
    '<%= config.bin %> policy show',
    '<%= config.bin %> policy show --policies-only C:\\Windows\\System32\\GroupPolicy --json',
  ];

  async run(): Promise<PolicyOverview> {
    const { flags } = await this.parse(PolicyShow);
    const set = await loadCommandPolicies(flags);
    const notice = unmanagedNotice(set);
    if (notice) process.stderr.write(`${notice}\n`);
    const overview = buildPolicyOverview(set);
    const simulation = simulationNotice(set);
    if (simulation) this.log(simulation);
    this.log(renderPolicyOverview(overview));
    if (overview.failures.length > 0 || overview.conflicts.some((c) => c.kind === 'contradiction'))
      this.setExitCode(ExitCode.invalidInput);
    return overview;
  }
}
