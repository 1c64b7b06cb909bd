/**
 * `ftpsctl audit sessions` as text (one session per line, then the counts), CSV (RFC 4180: one
 * row per session, CRLF line ends, a header row) or one self-contained HTML page. Pure.
 */
import { renderTable } from '../text/render-table';
import { csvField } from './render-audit-csv';
import { html, type Markup } from './render-audit-html-markup';
import type { SessionLogReport, SessionLogSummary, SessionRecord } from './session-log-summary';

const countRows = (counts: Record<string, number>): string[][] =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => [key, String(count)]);

/** What went wrong, in one cell: the error code, a refusal's reason and the policy that refused. */
function problemOf(s: SessionRecord): string {
  const parts = [
    s.errorCode,
    s.reason,
    s.refusedBy?.policy ? `policy ${s.refusedBy.policy}${s.refusedBy.file ? ` (${s.refusedBy.file})` : ''}` : undefined,
    s.failedTransfers ? `${s.failedTransfers} failed transfer${s.failedTransfers === 1 ? '' : 's'}` : undefined,
  ];
  return parts.filter(Boolean).join('; ');
}

const SESSION_COLUMNS = [
  'start',
  'profile',
  'outcome',
  'server',
  'tls',
  'cipher',
  'transfers',
  'bytes',
  'duration_ms',
  'problem',
  'session_id',
] as const;

function sessionCells(s: SessionRecord): string[] {
  return [
    s.start ?? '',
    s.profile,
    s.outcome,
    s.server ?? '',
    s.tlsVersion ? `TLS ${s.tlsVersion}` : '',
    s.cipher ?? '',
    String(s.transfers),
    String(s.bytes),
    s.durationMs === undefined ? '' : String(s.durationMs),
    problemOf(s),
    s.sessionId,
  ];
}

function headline(summary: SessionLogSummary): string {
  return `${summary.files.join(', ')}: ${summary.sessions} session${summary.sessions === 1 ? '' : 's'}, ${summary.events} events${summary.first ? `, ${summary.first} .. ${summary.last}` : ''}`;
}

export function renderSessionLogTable(report: SessionLogReport): string {
  const { summary } = report;
  const parts = [
    headline(summary),
    '',
    report.sessions.length
      ? renderTable([...SESSION_COLUMNS], report.sessions.map(sessionCells))
      : 'no session matches',
    '',
    renderTable(
      ['profile', 'sessions', 'succeeded', 'failed', 'transfers', 'failed transfers', 'bytes', 'refused'],
      Object.entries(summary.profiles)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([profile, p]) => [
          profile,
          String(p.sessions),
          String(p.succeeded),
          String(p.failed),
          String(p.transfers),
          String(p.failedTransfers),
          String(p.bytes),
          String(p.refused),
        ]),
    ),
    '',
    renderTable(['TLS version', 'sessions'], countRows(summary.tlsVersions)),
    '',
    renderTable(['cipher', 'sessions'], countRows(summary.ciphers)),
    '',
    renderTable(['FIPS state', 'sessions'], countRows(summary.fips)),
    '',
    Object.keys(summary.failuresByCode).length
      ? renderTable(['failure', 'sessions'], countRows(summary.failuresByCode))
      : 'no failures',
  ];
  for (const bad of summary.badLines) parts.push(`${bad.file} line ${bad.line}: ${bad.problem}`);
  return `${parts.join('\n')}\n`;
}

export function renderSessionLogCsv(report: SessionLogReport): string {
  const rows = [
    [...SESSION_COLUMNS, 'user', 'fips', 'failed_transfers', 'resolution_sha256', 'managed', 'log', 'line'],
    ...report.sessions.map((s) => [
      ...sessionCells(s),
      s.user ?? '',
      s.fips ?? '',
      String(s.failedTransfers),
      s.resolutionSha256 ?? '',
      s.managed === undefined ? '' : String(s.managed),
      s.log,
      String(s.line),
    ]),
  ];
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

function countTable(title: string, counts: Record<string, number>): Markup {
  const rows = countRows(counts).map(([key, count]) => html`<tr><td>${key}</td><td>${count}</td></tr>`);
  return html`<h2>${title}</h2><table><tr><th>${title}</th><th>sessions</th></tr>${rows}</table>`;
}

export function renderSessionLogHtml(report: SessionLogReport): string {
  const { summary } = report;
  const profiles = Object.entries(summary.profiles).map(
    ([profile, p]) =>
      html`<tr data-profile="${profile}"><td>${profile}</td><td>${p.sessions}</td><td>${p.succeeded}</td><td class="${p.failed ? 'bad' : ''}">${p.failed}</td><td>${p.transfers}</td><td class="${p.failedTransfers ? 'bad' : ''}">${p.failedTransfers}</td><td>${p.bytes}</td><td class="${p.refused ? 'bad' : ''}">${p.refused}</td></tr>`,
  );
  const sessions = report.sessions.map(
    (s) =>
      html`<tr data-outcome="${s.outcome}">${sessionCells(s).map((cell, i) => html`<td class="${i === 2 && s.outcome !== 'success' ? 'bad' : ''}">${cell}</td>`)}</tr>`,
  );
  const bad = summary.badLines.map((b) => html`<li>${b.file} line ${b.line}: ${b.problem}</li>`);
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>ftpsctl session log: ${summary.files.join(', ')}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.bad{background:#f8d7da}</style></head>
<body><h1>Session log ${summary.files.join(', ')}</h1>
<p id="summary">${headline(summary)}</p>
<h2>Sessions</h2><table><tr>${SESSION_COLUMNS.map((c) => html`<th>${c}</th>`)}</tr>${sessions}</table>
<h2>Profiles</h2><table><tr><th>profile</th><th>sessions</th><th>succeeded</th><th>failed</th><th>transfers</th><th>failed transfers</th><th>bytes</th><th>refused</th></tr>${profiles}</table>
${countTable('TLS version', summary.tlsVersions)}${countTable('cipher', summary.ciphers)}${countTable('FIPS state', summary.fips)}${countTable('failure', summary.failuresByCode)}
${summary.badLines.length ? html`<h2>Lines that are not audit events</h2><ul>${bad}</ul>` : html``}
</body></html>
`;
  return page.html;
}
