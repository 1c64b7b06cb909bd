/** The human form of an AuditReport: one row per profile, then the summary line. */
import { renderTable } from '../text/render-table';
import type { AuditReport } from './audit-report';
import { auditRow, auditSummaryLine, describeChanges } from './render-audit-rows';

export function renderAuditTable(report: AuditReport): string {
  const rows = report.profiles
    .map(auditRow)
    .map((row) => [
      row.profile || '-',
      row.file,
      row.decision,
      describeChanges(row.changed),
      row.problems.length === 0 ? '0' : `${row.problems.length}: ${row.problems.join('; ')}`,
    ]);
  const lines = [
    renderTable(['profile', 'file', 'decision', 'changed by policy', 'violations'], rows),
    '',
    auditSummaryLine(report.summary),
  ];
  // An unusable policy file refuses the profiles it could apply to; name it so the refusals make sense.
  for (const policyFile of report.policyFiles) {
    for (const problem of policyFile.problems) lines.push(`unusable policy file: ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}
