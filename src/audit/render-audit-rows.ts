/**
 * The per-profile facts the audit formats show (decision, settings changed by policy,
 * violations, a setting's provenance) and the summary line, so table, csv and html say the
 * same thing the same way.
 */
import type { ResolvedSetting, SettingStatus } from '../resolve/resolution';
import { CHANGED_BY_POLICY, type AuditReport, type AuditedProfile } from './audit-report';
import { describeOrigin } from '../policy/describe-origin';

/** `invalid`: the profile file could not be read or validated, so it was never resolved. */
export type AuditDecision = 'allow' | 'refuse' | 'invalid';

export interface AuditRow {
  /** The profile's name; '' when the file could not be loaded (its file names it). */
  profile: string;
  file: string;
  decision: AuditDecision;
  /** Settings a policy changed, in catalog order. */
  changed: Array<{ path: string; status: SettingStatus }>;
  /** Violation messages, or the reasons an invalid profile could not be loaded. */
  problems: string[];
}

export function auditRow(audited: AuditedProfile): AuditRow {
  const { resolution } = audited;
  if (!resolution) {
    const message = audited.error?.message ?? 'the profile could not be loaded';
    return { profile: '', file: audited.file, decision: 'invalid', changed: [], problems: message.split('\n') };
  }
  return {
    profile: resolution.profile,
    file: audited.file,
    decision: resolution.decision,
    changed: Object.entries(resolution.settings)
      .filter(([, setting]) => CHANGED_BY_POLICY.has(setting.status))
      .map(([path, setting]) => ({ path, status: setting.status })),
    problems: resolution.violations.map((v) => v.message),
  };
}

/**
 * `tls.minVersion raised; 8 applied` (or `none`). A profile's own values that a policy changed
 * are named; values a policy filled in where the profile was silent are counted, so the
 * line stays readable (json and html list every one).
 */
export function describeChanges(changed: AuditRow['changed']): string {
  if (changed.length === 0) return 'none';
  const named = changed.filter((c) => c.status !== 'applied').map((c) => `${c.path} ${c.status}`);
  const applied = changed.length - named.length;
  return [...named, ...(applied > 0 ? [`${applied} applied`] : [])].join('; ');
}

/** `8 profiles: 6 allowed, 2 refused, 0 invalid; 5 changed by policy`. */
export function auditSummaryLine(summary: AuditReport['summary']): string {
  const profiles = summary.profiles === 1 ? '1 profile' : `${summary.profiles} profiles`;
  const rejected = summary.rejectedRecommendations
    ? `; ${summary.rejectedRecommendations} override a recommended value`
    : '';
  const duplicates = summary.duplicateNames
    ? `; ${summary.duplicateNames} profile name${summary.duplicateNames === 1 ? '' : 's'} used by several files`
    : '';
  return `${profiles}: ${summary.allowed} allowed, ${summary.refused} refused, ${summary.invalid} invalid; ${summary.changedByPolicy} changed by policy${rejected}${duplicates}`;
}

/** A setting value as text: strings as written, everything else as JSON. */
export function formatAuditValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Where a policy value was written: `file:line`, or `file: registry value` for a Registry.pol. */
export function formatOrigin(origin: { file?: string; line?: number; registryValue?: string }): string {
  return describeOrigin(origin);
}

/** Every fact about where a setting's value came from, as label/text pairs (the html tooltip and details). */
export function settingProvenance(path: string, setting: ResolvedSetting): Array<[label: string, text: string]> {
  const facts: Array<[string, string]> = [
    ['setting', path],
    ['value', formatAuditValue(setting.value)],
    ['status', setting.status],
    ['source', setting.source],
  ];
  if (setting.policy !== undefined) facts.push(['policy', setting.policy]);
  if (setting.file !== undefined)
    facts.push([setting.registryValue !== undefined ? 'registry value' : 'file:line', formatOrigin(setting)]);
  if (setting.enforce !== undefined) facts.push(['enforce', setting.enforce]);
  if ('profileValue' in setting) facts.push(['profile value', formatAuditValue(setting.profileValue)]);
  for (const c of setting.conflicts ?? []) {
    facts.push([
      'conflict',
      `${formatAuditValue(c.value)} from policy ${c.policy} (${formatOrigin(c)}, ${c.enforce}, ${c.type})`,
    ]);
  }
  for (const c of setting.constraints ?? []) {
    facts.push(['constraint', `${c.enforce} ${formatAuditValue(c.value)} by policy ${c.policy} (${formatOrigin(c)})`]);
  }
  return facts;
}
