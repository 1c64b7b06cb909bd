/** The human form of a Resolution: one row per setting (value, where it came from, status). */
import { renderTable } from '../text/render-table';
import type { ResolvedSetting, Resolution } from './resolution';
import { describeOrigin } from '../policy/describe-origin';

function show(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function describeSource(setting: ResolvedSetting): string {
  if (setting.source !== 'policy') return setting.source;
  return `${describeOrigin(setting)} (${setting.policy}, ${setting.enforce})`;
}

export function renderResolution(resolution: Resolution): string {
  const rows = Object.entries(resolution.settings)
    .filter(([, s]) => s.value !== undefined)
    .map(([path, s]) => {
      const changed = 'profileValue' in s ? ` (profile: ${show(s.profileValue)})` : '';
      return [path, `${show(s.value)}${changed}`, describeSource(s), s.status];
    });
  const lines = [
    ...(resolution.simulation
      ? [
          "simulation (--policies-only): only the policies named, ranked as they declare; the machine's policies were not read, and no session runs this way",
          '',
        ]
      : []),
    `profile ${resolution.profile}${resolution.profileFile ? ` (${resolution.profileFile})` : ''}`,
    '',
    renderTable(['setting', 'value', 'source', 'status'], rows),
  ];
  if (resolution.violations.length > 0) {
    lines.push('', 'violations:');
    for (const v of resolution.violations) lines.push(`  ${v.message}`);
  }
  if (resolution.conflicts.length > 0) {
    lines.push('', 'conflicts (equal rank; the more secure value won):');
    for (const c of resolution.conflicts) lines.push(`  ${c.message}`);
  }
  const rejected = Object.entries(resolution.settings).filter(([, s]) => s.rejectedRecommendation);
  if (rejected.length > 0) {
    lines.push('', 'recommendations the profile overrides:');
    for (const [path, s] of rejected)
      lines.push(
        // The profile's own value: a floor may have raised the effective one since (shown in the table above).
        `  ${path}: ${show(s.profileValue !== undefined ? s.profileValue : s.value)} instead of ${show(s.rejectedRecommendation?.value)} recommended by policy ${s.rejectedRecommendation?.policy} (${describeOrigin(s.rejectedRecommendation ?? {})})`,
      );
  }
  for (const w of resolution.warnings) lines.push(`note: ${w}`);
  // Mandated logs add up: the table shows one value, every log that gets the events is listed here.
  if ((resolution.auditLogFiles ?? []).length > 1) {
    lines.push('', 'audit logs (every one gets each event):');
    for (const log of resolution.auditLogFiles ?? []) lines.push(`  ${log}`);
  }
  if (resolution.policySources) {
    lines.push('', resolution.managed === false ? 'policy sources: none (unmanaged)' : 'policy sources:');
    for (const source of resolution.policySources) {
      const claimed =
        source.declaredScope && source.declaredScope !== source.scope ? `, claims ${source.declaredScope}` : '';
      lines.push(
        `  ${source.scope} scope (${source.source}${claimed}) ${source.path} sha256 ${source.sha256 ?? '-'}${source.usable ? '' : ' UNUSABLE'}`,
      );
    }
  }
  lines.push(
    '',
    `decision: ${resolution.decision}${resolution.decision === 'refuse' ? ` (${resolution.violations.length} violation${resolution.violations.length === 1 ? '' : 's'})` : ''}`,
  );
  return lines.join('\n');
}
