/**
 * An AuditReport as one self-contained HTML file an auditor opens offline: summary counts,
 * the policy files with their SHA-256, a profile × setting matrix coloured by status with
 * every cell's provenance (tooltip and <details>), violations per profile, a legend.
 * Inline CSS only, no external URL; a small inline script adds filtering but the report
 * reads the same without it.
 */
import { createHash } from 'node:crypto';
import type { ResolvedSetting, Resolution, SettingStatus } from '../resolve/resolution';
import type { AuditReport, AuditedProfile } from './audit-report';
import { escapeHtml, html, Markup } from './render-audit-html-markup';
import {
  auditRow,
  auditSummaryLine,
  formatAuditValue,
  settingProvenance,
  type AuditDecision,
  type AuditRow,
} from './render-audit-rows';

const STATUS_MEANING: Record<SettingStatus, string> = {
  default: 'built-in default; neither the profile nor a policy set it',
  profile: "the profile's value; no policy touched it",
  applied: 'a policy value, used where the profile was silent',
  overridden: "a mandatory policy value replaced the profile's",
  raised: "a policy floor raised the profile's value",
  lowered: "a policy ceiling lowered the profile's value",
  kept: "the profile's value, checked against every policy constraint",
};

const DECISION_MEANING: Record<AuditDecision, string> = {
  allow: 'the session would be allowed',
  refuse: 'policy refuses the session (see its violations)',
  invalid: 'the profile file could not be read or is not a valid profile',
};

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1a1a1a; }
h1 { font-size: 1.5em; margin: 0 0 .3em; }
h2 { font-size: 1.2em; margin: 1.6em 0 .5em; }
h3 { font-size: 1em; margin: 1em 0 .3em; }
code, .mono { font-family: ui-monospace, monospace; font-size: .9em; word-break: break-all; }
table { border-collapse: collapse; }
th, td { border: 1px solid #c8c8c8; padding: 2px 6px; text-align: left; vertical-align: top; }
#summary dl { display: flex; gap: 1.5em; margin: .4em 0; }
#summary dt { font-weight: normal; color: #555; }
#summary dd { margin: 0; font-size: 1.4em; font-weight: bold; }
.scroll { overflow-x: auto; max-width: 100%; }
.matrix th.setting { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; font-weight: normal; font-family: ui-monospace, monospace; font-size: .85em; }
.matrix th.profile { position: sticky; left: 0; background: #fff; z-index: 1; white-space: nowrap; }
.matrix td.cell { font-family: ui-monospace, monospace; font-size: .85em; }
.matrix td.cell summary { max-width: 11em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; cursor: pointer; }
.matrix td.cell dl { margin: .3em 0 0; font-family: system-ui, sans-serif; min-width: 18em; white-space: normal; }
.matrix td.cell dt { font-weight: bold; }
.matrix td.cell dd { margin: 0 0 .2em .8em; word-break: break-all; }
.s-default { background: #f2f2f2; color: #666; }
.s-profile { background: #ffffff; }
.s-kept { background: #dcebfa; }
.s-applied { background: #dff3e3; }
.s-overridden { background: #fcd9bd; }
.s-raised { background: #fff0a8; }
.s-lowered { background: #ead7f5; }
.s-unset { background: #fafafa; color: #aaa; }
.d-allow { background: #dff3e3; }
.d-refuse { background: #f6c4c4; font-weight: bold; }
.d-invalid { background: #d4d4d4; font-weight: bold; }
tr[data-decision="refuse"] th.profile { background: #f6c4c4; }
tr[data-decision="invalid"] th.profile, td.invalid { background: repeating-linear-gradient(45deg, #e6e6e6, #e6e6e6 6px, #d4d4d4 6px, #d4d4d4 12px); }
#legend ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4em 1.2em; }
.swatch { display: inline-block; width: 1.1em; height: 1.1em; border: 1px solid #999; vertical-align: middle; margin-right: .3em; }
.problems li { margin: .2em 0; }
pre { white-space: pre-wrap; margin: .3em 0; }
#filter { margin: .5em 0; }
`;

// Filtering is an extra: rows carry data-profile / data-decision, the form shows only when this runs.
const SCRIPT = `
(function () {
  var form = document.getElementById('filter');
  var text = form.querySelector('input');
  var decision = form.querySelector('select');
  function apply() {
    var query = text.value.toLowerCase();
    document.querySelectorAll('tr[data-profile]').forEach(function (row) {
      var byName = !query || row.getAttribute('data-profile').toLowerCase().indexOf(query) >= 0 || row.getAttribute('data-file').toLowerCase().indexOf(query) >= 0;
      var byDecision = !decision.value || row.getAttribute('data-decision') === decision.value;
      row.hidden = !(byName && byDecision);
    });
  }
  text.addEventListener('input', apply);
  decision.addEventListener('change', apply);
  form.hidden = false;
})();
`;

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
}

// Nothing may load from anywhere and only this report's own style and script may run (hashes
// of the exact text inserted below), so a value that slipped past escaping could neither run
// nor call home.
const CSP = `default-src 'none'; style-src ${cspHash(STYLE)}; script-src ${cspHash(SCRIPT)}; base-uri 'none'; form-action 'none'`;

/** Every setting path of any resolution, in catalog order (the order resolutions list them). */
function settingPaths(profiles: AuditedProfile[]): string[] {
  const paths = new Set<string>();
  for (const p of profiles) for (const path of Object.keys(p.resolution?.settings ?? {})) paths.add(path);
  return [...paths];
}

function renderSummary(report: AuditReport): Markup {
  const { summary } = report;
  const counts: Array<[string, string, number]> = [
    ['profiles', 'profiles', summary.profiles],
    ['allowed', 'allowed', summary.allowed],
    ['refused', 'refused', summary.refused],
    ['invalid', 'invalid', summary.invalid],
    ['changedByPolicy', 'changed by policy', summary.changedByPolicy],
  ];
  return html`<section id="summary">
<h2>Summary</h2>
<p class="summary-line">${auditSummaryLine(summary)}</p>
<dl>${counts.map(([key, label, count]) => html`<div data-count="${key}"><dt>${label}</dt><dd>${count}</dd></div>`)}</dl>
</section>`;
}

function renderPolicyFiles(report: AuditReport): Markup {
  const rows = report.policyFiles.map(
    (f) =>
      html`<tr><td class="mono">${f.file}</td><td>${f.policy ?? ''}</td><td><code>${f.sha256 ?? ''}</code></td><td>${
        f.problems.length === 0
          ? 'usable'
          : html`<ul class="problems">${f.problems.map((p) => html`<li>${p}</li>`)}</ul>`
      }</td></tr>`,
  );
  const body =
    rows.length === 0
      ? html`<p>No policy file was read: no policy applied to any profile.</p>`
      : html`<table><thead><tr><th>file</th><th>policy</th><th>SHA-256</th><th>state</th></tr></thead><tbody>${rows}</tbody></table>`;
  return html`<section id="policies">
<h2>Policy files</h2>
<p>Read from <span class="mono">${report.policiesDir}</span>. An unusable file refuses every session it could apply to.</p>
${body}
</section>`;
}

function renderLegend(): Markup {
  const statuses = (Object.keys(STATUS_MEANING) as SettingStatus[]).map(
    (status) => html`<li><span class="swatch s-${status}"></span><b>${status}</b>: ${STATUS_MEANING[status]}</li>`,
  );
  const decisions = (['refuse', 'invalid'] as const).map(
    (d) => html`<li><span class="swatch d-${d}"></span><b>${d} row</b>: ${DECISION_MEANING[d]}</li>`,
  );
  return html`<section id="legend">
<h2>Legend</h2>
<ul>${statuses}${decisions}<li><span class="swatch s-unset"></span><b>not set</b>: no value and no default</li></ul>
<p>Hover a cell for where its value came from; click it for the same detail in place.</p>
</section>`;
}

function renderCell(path: string, setting: ResolvedSetting | undefined): Markup {
  if (!setting || setting.value === undefined) {
    return html`<td class="cell s-unset" data-setting="${path}" data-status="unset" title="${path}: not set"></td>`;
  }
  const facts = settingProvenance(path, setting);
  // One line per fact in the tooltip; &#10; keeps each row on one line of the file.
  const title = new Markup(
    escapeHtml(facts.map(([label, text]) => `${label}: ${text}`).join('\n')).replace(/\n/g, '&#10;'),
  );
  return html`<td class="cell s-${setting.status}" data-setting="${path}" data-status="${setting.status}" title="${title}"><details><summary>${formatAuditValue(setting.value)}</summary><dl>${facts.map(
    ([label, text]) => html`<dt>${label}</dt><dd>${text}</dd>`,
  )}</dl></details></td>`;
}

function renderMatrixRow(audited: AuditedProfile, row: AuditRow, index: number, paths: string[]): Markup {
  const head = html`<th class="profile" scope="row">${row.profile || '(not loaded)'}<br><span class="mono">${row.file}</span></th>
<td class="d-${row.decision}">${row.decision}</td><td>${row.changed.length}</td><td><a href="#p-${index}">${row.problems.length}</a></td>`;
  const cells = audited.resolution
    ? paths.map((path) => renderCell(path, audited.resolution?.settings[path]))
    : html`<td class="invalid" colspan="${Math.max(paths.length, 1)}">${audited.error?.code ?? ''}: ${row.problems[0] ?? ''}</td>`;
  return html`<tr data-profile="${row.profile}" data-file="${row.file}" data-decision="${row.decision}">${head}${cells}</tr>\n`;
}

function renderMatrix(report: AuditReport, rows: AuditRow[]): Markup {
  const paths = settingPaths(report.profiles);
  const headers = paths.map((path) => html`<th class="setting" scope="col">${path}</th>`);
  return html`<section id="matrix">
<h2>Profiles × settings</h2>
<form id="filter" hidden><label>profile or file <input type="search"></label> <label>decision <select><option value="">any</option><option value="allow">allow</option><option value="refuse">refuse</option><option value="invalid">invalid</option></select></label></form>
<div class="scroll"><table class="matrix">
<thead><tr><th class="profile" scope="col">profile</th><th scope="col">decision</th><th scope="col">changed by policy</th><th scope="col">violations</th>${headers}</tr></thead>
<tbody>
${report.profiles.map((p, i) => renderMatrixRow(p, rows[i], i, paths))}</tbody>
</table></div>
</section>`;
}

function renderResolutionNotes(resolution: Resolution): Markup {
  const violations = resolution.violations.map(
    // The resolver's messages already name the policy and file:line.
    (v) => html`<li><span class="mono">${v.path || '(profile)'}</span>: ${v.message}</li>`,
  );
  const conflicts = resolution.conflicts.map((c) => html`<li>${c.message}</li>`);
  const warnings = resolution.warnings.map((w) => html`<li>${w}</li>`);
  const policies = resolution.policies.map(
    (p) => html`<li>${p.name} (${p.scope}, priority ${p.priority}) <span class="mono">${p.file}</span></li>`,
  );
  return html`${violations.length === 0 ? html`<p>No violations.</p>` : html`<p>Violations:</p><ul class="problems">${violations}</ul>`}
${conflicts.length === 0 ? '' : html`<p>Conflicts (equal rank; the more secure value won):</p><ul class="problems">${conflicts}</ul>`}
${warnings.length === 0 ? '' : html`<p>Notes:</p><ul class="problems">${warnings}</ul>`}
${policies.length === 0 ? html`<p>No policy applied.</p>` : html`<p>Policies that applied:</p><ul>${policies}</ul>`}`;
}

function renderProfileDetails(report: AuditReport, rows: AuditRow[]): Markup {
  const sections = report.profiles.map((audited, i) => {
    const row = rows[i];
    const body = audited.resolution
      ? renderResolutionNotes(audited.resolution)
      : html`<p>Not resolved: <code>${audited.error?.code ?? ''}</code></p><pre>${audited.error?.message ?? ''}</pre>`;
    return html`<section class="profile-detail" id="p-${i}">
<h3>${row.profile || '(not loaded)'} <span class="mono">${row.file}</span> — <span class="d-${row.decision}">${row.decision}</span></h3>
${body}
</section>`;
  });
  return html`<section id="violations">
<h2>Violations and policies per profile</h2>
${sections}
</section>`;
}

export function renderAuditHtml(report: AuditReport): string {
  const rows = report.profiles.map(auditRow);
  const page = html`<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ftpsctl audit">
<title>ftpsctl audit: ${auditSummaryLine(report.summary)}</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<h1>ftpsctl audit report</h1>
<p>Generated <time datetime="${report.generatedAt}">${report.generatedAt}</time> from the profiles in <span class="mono">${report.profilesDir}</span>.</p>
${renderSummary(report)}
${renderPolicyFiles(report)}
${renderLegend()}
${renderMatrix(report, rows)}
${renderProfileDetails(report, rows)}
<script>${new Markup(SCRIPT)}</script>
</body>
</html>`;
  return `<!DOCTYPE html>\n${page.html}\n`;
}
