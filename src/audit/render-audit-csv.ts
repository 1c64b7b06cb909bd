/**
 * An AuditReport as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a comma,
 * quote or line break, quotes doubled), one row per profile, for spreadsheets.
 */
import type { AuditReport } from './audit-report';
import { auditRow } from './render-audit-rows';

const HEADER = ['profile', 'file', 'decision', 'changed_count', 'changed_settings', 'violation_count', 'violations'];

/**
 * Profile names, paths and messages come from files users write. A spreadsheet runs a cell
 * starting with = + - @ (or tab / CR before one) as a formula, so such cells get a leading `'`.
 */
export function neutraliseFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export function csvField(cell: string): string {
  const safe = neutraliseFormula(cell);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderAuditCsv(report: AuditReport): string {
  const rows = report.profiles
    .map(auditRow)
    .map((row) => [
      row.profile,
      row.file,
      row.decision,
      String(row.changed.length),
      row.changed.map((c) => `${c.path} ${c.status}`).join('; '),
      String(row.problems.length),
      row.problems.join('\n'),
    ]);
  return [HEADER, ...rows].map((cells) => `${cells.map(csvField).join(',')}\r\n`).join('');
}
