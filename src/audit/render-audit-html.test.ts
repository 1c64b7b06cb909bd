import { createHash } from 'node:crypto';
import { payrollResolution, sampleAuditReport } from '../../test/audit/audit-report-fixture';
import type { AuditReport } from './audit-report';
import { renderAuditHtml } from './render-audit-html';
import { escapeHtml, html } from './render-audit-html-markup';

const HOSTILE = `<script>alert("x")</script> & 'q'`;

function hostileReport(): AuditReport {
  const report = sampleAuditReport();
  const resolution = payrollResolution(HOSTILE);
  resolution.settings.host = { value: '"><b>bold</b>', source: 'profile', status: 'profile' };
  resolution.settings['tls.minVersion'].policy = `a"b<i>`;
  resolution.decision = 'refuse';
  resolution.violations = [{ path: 'host', message: 'host "><b>bold</b> is denied by <i>policy</i>' }];
  resolution.warnings = ['<u>note</u>'];
  report.profiles = [{ file: 'profiles/<img src=x onerror=alert(1)>.json', resolution }, ...report.profiles];
  report.profilesDir = '</title><script>alert(2)</script>';
  report.policyFiles[0].policy = '<svg onload=alert(3)>';
  return report;
}

describe('renderAuditHtml', () => {
  const page = renderAuditHtml(sampleAuditReport());

  it('is one HTML document with the summary counts', () => {
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')).toBe(true);
    expect(page.endsWith('</body>\n</html>\n')).toBe(true);
    expect(page).toContain(`<section id="summary">
<h2>Summary</h2>
<p class="summary-line">3 profiles: 1 allowed, 1 refused, 1 invalid; 2 changed by policy</p>
<dl><div data-count="profiles"><dt>profiles</dt><dd>3</dd></div><div data-count="allowed"><dt>allowed</dt><dd>1</dd></div><div data-count="refused"><dt>refused</dt><dd>1</dd></div><div data-count="invalid"><dt>invalid</dt><dd>1</dd></div><div data-count="changedByPolicy"><dt>changed by policy</dt><dd>2</dd></div></dl>
</section>`);
  });

  it('lists the policy files with their SHA-256 and problems', () => {
    expect(page).toContain(
      `<tr><td class="mono">policies/corp.xml</td><td>corp</td><td><code>${'a'.repeat(64)}</code></td><td>usable</td></tr>` +
        '<tr><td class="mono">policies/zz-broken.xml</td><td></td><td><code></code></td><td><ul class="problems"><li>policies/zz-broken.xml:4:12 unknown setting path &quot;tls.fipMode&quot;; did you mean &quot;tls.fipsMode&quot;?</li></ul></td></tr>',
    );
  });

  it('has one matrix row per profile with data-profile and data-decision', () => {
    expect(page.match(/<tr data-profile="[^"]*" data-file="[^"]*" data-decision="[a-z]+">/g)).toEqual([
      '<tr data-profile="payroll" data-file="profiles/payroll.json" data-decision="allow">',
      '<tr data-profile="vendor" data-file="profiles/vendor.json" data-decision="refuse">',
      '<tr data-profile="" data-file="profiles/broken.json" data-decision="invalid">',
    ]);
    expect(
      page.match(/<th class="setting" scope="col">([^<]+)<\/th>/g)?.map((th) => th.replace(/<[^>]+>/g, '')),
    ).toEqual(['host', 'tls.enabled', 'tls.minVersion', 'tls.clearCommandChannel', 'proxy.host']);
  });

  it('gives every cell its provenance as a tooltip and in <details>, coloured by status', () => {
    expect(page).toContain(
      '<td class="cell s-raised" data-setting="tls.minVersion" data-status="raised" title="setting: tls.minVersion&#10;value: TLSv1.3&#10;status: raised&#10;source: policy&#10;policy: corp&#10;file:line: policies/corp.xml:6&#10;enforce: floor&#10;profile value: TLSv1.2&#10;conflict: TLSv1.2 from policy team (policies/team.xml:4, mandatory, override)">' +
        '<details><summary>TLSv1.3</summary><dl><dt>setting</dt><dd>tls.minVersion</dd><dt>value</dt><dd>TLSv1.3</dd><dt>status</dt><dd>raised</dd><dt>source</dt><dd>policy</dd><dt>policy</dt><dd>corp</dd><dt>file:line</dt><dd>policies/corp.xml:6</dd><dt>enforce</dt><dd>floor</dd><dt>profile value</dt><dd>TLSv1.2</dd>' +
        '<dt>conflict</dt><dd>TLSv1.2 from policy team (policies/team.xml:4, mandatory, override)</dd></dl></details></td>',
    );
    expect(page).toContain(
      'title="setting: host&#10;value: ftp.corp.example&#10;status: kept&#10;source: profile&#10;constraint: allow [&quot;*.corp.example&quot;] by policy corp (policies/corp.xml:9)"',
    );
    expect(page).toContain(
      '<td class="cell s-overridden" data-setting="tls.clearCommandChannel" data-status="overridden"',
    );
    expect(page).toContain(
      '<td class="cell s-unset" data-setting="proxy.host" data-status="unset" title="proxy.host: not set"></td>',
    );
    expect(page).toContain(
      '<td class="d-invalid">invalid</td><td>0</td><td><a href="#p-2">1</a></td><td class="invalid" colspan="5">FTPSCTL_ERR_PROFILE_INVALID: profiles/broken.json:1:1 /host missing required key &quot;host&quot;</td></tr>',
    );
  });

  it('lists violations per profile and has a legend for every status and row colour', () => {
    expect(page).toContain(
      '<h3>vendor <span class="mono">profiles/vendor.json</span> — <span class="d-refuse">refuse</span></h3>\n<p>Violations:</p><ul class="problems"><li><span class="mono">host</span>: host drop.vendor.example.net is not allowed by policy corp (policies/corp.xml:9)</li></ul>',
    );
    for (const status of ['default', 'profile', 'applied', 'overridden', 'raised', 'lowered', 'kept']) {
      expect(page).toContain(`<li><span class="swatch s-${status}"></span><b>${status}</b>: `);
      expect(page).toMatch(new RegExp(`^\\.s-${status} \\{ background: #[0-9a-f]{6};`, 'm'));
    }
    expect(page).toContain('<span class="swatch d-refuse"></span><b>refuse row</b>');
    expect(page).toContain('<span class="swatch d-invalid"></span><b>invalid row</b>');
  });

  it('loads nothing from anywhere: no URL, and a CSP that allows only its own style and script', () => {
    expect(page).not.toMatch(/\b(?:src|href|action)="(?!#)/);
    expect(page).not.toMatch(/url\(|@import|https?:|\/\//);
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1] ?? '';
    const sha = (text: string): string => createHash('sha256').update(text).digest('base64');
    expect(page).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;sha256-${sha(style)}&#39;; script-src &#39;sha256-${sha(script)}&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;">`,
    );
    // The filter form shows only when the script runs; the report reads the same without it.
    expect(page).toContain('<form id="filter" hidden>');
  });

  it('escapes hostile names, values, paths and messages everywhere', () => {
    const hostile = renderAuditHtml(hostileReport());
    expect(hostile.match(/<script/g)).toHaveLength(1);
    expect(hostile).not.toMatch(/<img|<svg|<b>bold|<i>policy|<i>"|<u>/);
    expect(hostile).toContain(
      '<tr data-profile="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;" data-file="profiles/&lt;img src=x onerror=alert(1)&gt;.json" data-decision="refuse">',
    );
    expect(hostile).toContain(
      '<th class="profile" scope="row">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;<br>',
    );
    expect(hostile).toContain('<summary>&quot;&gt;&lt;b&gt;bold&lt;/b&gt;</summary>');
    expect(hostile).toContain('title="setting: host&#10;value: &quot;&gt;&lt;b&gt;bold&lt;/b&gt;&#10;');
    expect(hostile).toContain('policy: a&quot;b&lt;i&gt;');
    expect(hostile).toContain('host &quot;&gt;&lt;b&gt;bold&lt;/b&gt; is denied by &lt;i&gt;policy&lt;/i&gt;');
    expect(hostile).toContain('<li>&lt;u&gt;note&lt;/u&gt;</li>');
    expect(hostile).toContain('<span class="mono">&lt;/title&gt;&lt;script&gt;alert(2)&lt;/script&gt;</span>');
    expect(hostile).toContain('<td>&lt;svg onload=alert(3)&gt;</td>');
  });
});

describe('html`...`', () => {
  it('escapes interpolated text and arrays, keeps interpolated markup', () => {
    expect(html`<p title="${`"'&`}">${['<a>', html`<b>${'<c>'}</b>`]}${3}</p>`.html).toBe(
      '<p title="&quot;&#39;&amp;">&lt;a&gt;<b>&lt;c&gt;</b>3</p>',
    );
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});
