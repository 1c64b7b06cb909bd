/** An AuditReport as JSON: what `ftpsctl audit --format json` and `--json` print. */
import type { AuditReport } from './audit-report';

/**
 * Keys sorted at every level (as `jq -S`), arrays kept in order, undefined dropped: two
 * reports diff line by line whatever order the code happened to build their objects in.
 */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) sorted[key] = sortKeys(child);
  }
  return sorted;
}

/** The report with a stable key order (the `--json` payload of `ftpsctl audit`). */
export function orderAuditReport(report: AuditReport): AuditReport {
  return sortKeys(report) as AuditReport;
}

export function renderAuditJson(report: AuditReport): string {
  return `${JSON.stringify(orderAuditReport(report), null, 2)}\n`;
}
