/** The human form of a Resolution: one row per setting (value, where it came from, status). */
import { renderTable } from '../cli/render-table';
import type { ResolvedSetting, Resolution } from './resolution';

function show(value: unknown): string {
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function describeSource(setting: ResolvedSetting): string {
  if (setting.source !== 'policy') return setting.source;
  return `${setting.file}:${setting.line} (${setting.policy}, ${setting.enforce})`;
}

export function renderResolution(resolution: Resolution): string {
  const rows = Object.entries(resolution.settings)
    .filter(([, s]) => s.value !== undefined)
    .map(([path, s]) => {
      const changed = 'profileValue' in s ? ` (profile: ${show(s.profileValue)})` : '';
      return [path, `${show(s.value)}${changed}`, describeSource(s), s.status];
    });
  const lines = [`profile ${resolution.profile}${resolution.profileFile ? ` (${resolution.profileFile})` : ''}`, '', renderTable(['setting', 'value', 'source', 'status'], rows)];
  if (resolution.violations.length > 0) {
    lines.push('', 'violations:');
    for (const v of resolution.violations) lines.push(`  ${v.message}`);
  }
  if (resolution.conflicts.length > 0) {
    lines.push('', 'conflicts (equal rank; the more secure value won):');
    for (const c of resolution.conflicts) lines.push(`  ${c.message}`);
  }
  for (const w of resolution.warnings) lines.push(`note: ${w}`);
  lines.push('', `decision: ${resolution.decision}${resolution.decision === 'refuse' ? ` (${resolution.violations.length} violation${resolution.violations.length === 1 ? '' : 's'})` : ''}`);
  return lines.join('\n');
}
