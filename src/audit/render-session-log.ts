/** `ftpsctl audit sessions` as a table or as one self-contained HTML page. Pure. */
import { renderTable } from '../cli/render-table';
import { html, type Markup } from './render-audit-html-markup';
import type { SessionLogSummary } from './session-log-summary';

const countRows = (counts: Record<string, number>): string[][] =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .map(([key, count]) => [key, String(count)]);

export function renderSessionLogTable(summary: SessionLogSummary): string {
  const parts = [
    `${summary.file}: ${summary.sessions} sessions, ${summary.events} events${summary.first ? `, ${summary.first} .. ${summary.last}` : ''}`,
    '',
    renderTable(
      ['profile', 'sessions', 'succeeded', 'failed', 'transfers', 'bytes'],
      Object.entries(summary.profiles)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([profile, p]) => [profile, String(p.sessions), String(p.succeeded), String(p.failed), String(p.transfers), String(p.bytes)]),
    ),
    '',
    renderTable(['TLS version', 'sessions'], countRows(summary.tlsVersions)),
    '',
    renderTable(['cipher', 'sessions'], countRows(summary.ciphers)),
    '',
    renderTable(['FIPS state', 'sessions'], countRows(summary.fips)),
    '',
    Object.keys(summary.failuresByCode).length ? renderTable(['failure', 'sessions'], countRows(summary.failuresByCode)) : 'no failures',
  ];
  for (const bad of summary.badLines) parts.push(`line ${bad.line}: ${bad.problem}`);
  return `${parts.join('\n')}\n`;
}

function countTable(title: string, counts: Record<string, number>): Markup {
  const rows = countRows(counts).map(([key, count]) => html`<tr><td>${key}</td><td>${count}</td></tr>`);
  return html`<h2>${title}</h2><table><tr><th>${title}</th><th>sessions</th></tr>${rows}</table>`;
}

export function renderSessionLogHtml(summary: SessionLogSummary): string {
  const profiles = Object.entries(summary.profiles).map(
    ([profile, p]) => html`<tr data-profile="${profile}"><td>${profile}</td><td>${p.sessions}</td><td>${p.succeeded}</td><td class="${p.failed ? 'bad' : ''}">${p.failed}</td><td>${p.transfers}</td><td>${p.bytes}</td></tr>`,
  );
  const bad = summary.badLines.map((b) => html`<li>line ${b.line}: ${b.problem}</li>`);
  const page = html`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>ftpsctl session log: ${summary.file}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.bad{background:#f8d7da}</style></head>
<body><h1>Session log ${summary.file}</h1>
<p id="summary">${summary.sessions} sessions, ${summary.events} events${summary.first ? `, ${summary.first} .. ${summary.last}` : ''}</p>
<h2>Profiles</h2><table><tr><th>profile</th><th>sessions</th><th>succeeded</th><th>failed</th><th>transfers</th><th>bytes</th></tr>${profiles}</table>
${countTable('TLS version', summary.tlsVersions)}${countTable('cipher', summary.ciphers)}${countTable('FIPS state', summary.fips)}${countTable('failure', summary.failuresByCode)}
${summary.badLines.length ? html`<h2>Lines that are not audit events</h2><ul>${bad}</ul>` : html``}
</body></html>
`;
  return page.html;
}
