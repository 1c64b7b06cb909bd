/**
 * The HTML audit report in a real browser: headless Chromium loads it from a file, offline,
 * and the rendered DOM must hold every example profile's row and the summary counts.
 * CI (FTPSCTL_REQUIRE_REAL_SERVERS=1) fails without Chromium; elsewhere the test is skipped.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAuditReport } from '../../src/audit/build-audit-report';
import { renderAuditHtml } from '../../src/audit/render-audit-html';
import { loadPolicySet } from '../../src/policy/load-policy-set';
import { repoRoot } from '../helpers/run-cli';

const CHROMIUM = '/usr/bin/chromium';
const MISSING = `${CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to check the HTML audit report in a real browser`;
const PROFILES = path.join(repoRoot, 'examples/profiles');
const POLICIES = path.join(repoRoot, 'policies');

// Every example profile and the decision the shipped policies give it.
const EXPECTED_DECISIONS: Record<string, 'allow' | 'refuse'> = {
  'partner-mtls': 'allow',
  payroll: 'allow',
  'fips-gov': 'allow',
  'legacy-implicit': 'allow',
  'branch-nat': 'allow',
  'appliance-pinned': 'allow',
  'finance-proxy': 'allow',
  'vendor-drop': 'refuse',
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ftpsctl-audit-html-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Renders the report of a profiles folder to a file and returns the DOM Chromium built from it. */
async function renderInChromium(profilesDir: string, name: string): Promise<string> {
  const file = path.join(dir, `${name}.html`);
  await writeFile(file, renderAuditHtml(await buildAuditReport(profilesDir, await loadPolicySet([POLICIES]))));
  const userDataDir = await mkdtemp(path.join(dir, 'chromium-profile-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${userDataDir}`,
    '--dump-dom',
    pathToFileURL(file).href,
  ];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`chromium failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function rows(dom: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const match of dom.matchAll(/<tr data-profile="([^"]*)" data-file="[^"]*" data-decision="([a-z]+)">/g))
    found[match[1]] = match[2];
  return found;
}

const chromiumTest = existsSync(CHROMIUM)
  ? it
  : process.env.FTPSCTL_REQUIRE_REAL_SERVERS === '1'
    ? (title: string) =>
        it(title, () => {
          throw new Error(MISSING);
        })
    : (title: string) => it.skip(`${title} (skipped: ${MISSING})`, () => undefined);

describe('the HTML audit report in headless Chromium', () => {
  chromiumTest(
    'shows every example profile with its decision, the summary counts, and runs only its own script',
    async () => {
      const names = await Promise.all(
        (await readdir(PROFILES))
          .filter((f) => f.endsWith('.json'))
          .map(async (f) => (JSON.parse(await readFile(path.join(PROFILES, f), 'utf8')) as { name: string }).name),
      );
      expect(names.sort()).toEqual(Object.keys(EXPECTED_DECISIONS).sort());

      const dom = await renderInChromium(PROFILES, 'examples');
      expect(rows(dom)).toEqual(EXPECTED_DECISIONS);
      expect(dom).toContain(
        '<p class="summary-line">8 profiles: 7 allowed, 1 refused, 0 invalid; 8 changed by policy; 4 override a recommended value</p>',
      );
      for (const [key, count] of Object.entries({
        profiles: 8,
        allowed: 7,
        refused: 1,
        invalid: 0,
        changedByPolicy: 8,
      })) {
        expect(dom).toMatch(new RegExp(`<div data-count="${key}"><dt>[^<]+</dt><dd>${count}</dd></div>`));
      }
      // The filter form is hidden until the inline script runs: shown means its CSP hash matched.
      expect(dom).toContain('<form id="filter">');
      expect(dom).toMatch(
        /<td class="cell s-raised" data-setting="tls\.minVersion" data-status="raised" title="[^"]*policy: finance/,
      );
    },
    90_000,
  );

  chromiumTest(
    'keeps markup in profile values as text',
    async () => {
      const profiles = path.join(dir, 'hostile');
      await mkdir(profiles);
      const user =
        '<img src=x onerror="document.body.setAttribute(\'data-pwned\', 1)"><script>document.body.setAttribute("data-pwned", 2)</script>';
      await writeFile(
        path.join(profiles, 'hostile.json'),
        JSON.stringify({ name: 'hostile', host: 'ftp.corp.example', user }),
      );
      const dom = await renderInChromium(profiles, 'hostile');
      expect(rows(dom)).toEqual({ hostile: 'allow' });
      expect(dom).not.toContain('data-pwned="');
      expect(dom).not.toMatch(/<img/);
      expect(dom).toContain(
        '<summary>&lt;img src=x onerror="document.body.setAttribute(\'data-pwned\', 1)"&gt;&lt;script&gt;',
      );
    },
    90_000,
  );
});
