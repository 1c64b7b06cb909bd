/**
 * Review (batch 3, merge-policy-layers.ts ADDITIVE_MANDATES): "Mandated audit logs add up ...
 * two at equal rank are both kept, not a contradiction."
 *
 * Found:
 *  - The exemption is applied to both layers, mandatory and recommended, but only mandatory
 *    logs add up (resolution-enforcement.ts collects `enforce === 'mandatory'`). Two policies
 *    of equal rank RECOMMENDING different audit logs are no longer a contradiction (DESIGN.md:
 *    equal rank, no secure order) and do not add up either: the policy whose file name sorts
 *    first wins, the other log gets no event, and nothing (violation, conflict, warning) says so.
 *  - With two equal-rank mandated logs, `resolve` shows ONE as the audit.logFile (the file that
 *    sorts first) and the profile's own log as "overridden"; the other mandated log appears
 *    nowhere in the text output (and in --json as a conflict of type "override", a value that
 *    lost). All three logs get every event (auditLogFiles): the admin reading `resolve` is told
 *    otherwise.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { policyDocument, writePolicyFolder } from '../helpers/policy-folder';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review3-logs-'));
  writeFileSync(
    path.join(dir, 'p.json'),
    JSON.stringify({
      name: 'payroll',
      host: 'ftp.corp.example',
      user: 'alice',
      password: { env: 'PW' },
      audit: { logFile: 'mine.jsonl' },
    }),
  );
  writeFileSync(
    path.join(dir, 'silent.json'),
    JSON.stringify({ name: 'payroll', host: 'ftp.corp.example', user: 'alice', password: { env: 'PW' } }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logPolicy = (name: string, log: string, enforce: string): string =>
  policyDocument(
    name,
    `<setting path="audit.logFile" enforce="${enforce}">${log}</setting>`,
    `scope="user" priority="100"`,
  );

it('two equal-rank RECOMMENDED audit logs: a contradiction (or both written), never one dropped by file-name order', async () => {
  const security = path.join(dir, 'security.jsonl');
  const compliance = path.join(dir, 'compliance.jsonl');
  const folder = writePolicyFolder(dir, 'recommended', {
    'security.xml': logPolicy('security', security, 'recommended'),
    'compliance.xml': logPolicy('compliance', compliance, 'recommended'),
  });
  const run = await runBounded(['resolve', path.join(dir, 'silent.json'), '--policies', folder, '--json'], {
    cwd: dir,
  });
  const json = JSON.parse(run.stdout) as {
    decision: string;
    auditLogFiles?: string[];
    settings: Record<string, { value?: unknown }>;
  };
  const written = new Set([...(json.auditLogFiles ?? []), json.settings['audit.logFile']?.value]);
  const bothWritten = written.has(security) && written.has(compliance);
  const refused = json.decision === 'refuse';
  expect({ bothWritten, refused }).not.toEqual({ bothWritten: false, refused: false });
});

it('two equal-rank MANDATED audit logs: resolve names every log that gets the events', async () => {
  const security = path.join(dir, 'security.jsonl');
  const compliance = path.join(dir, 'compliance.jsonl');
  const folder = writePolicyFolder(dir, 'mandated', {
    'security.xml': logPolicy('security', security, 'mandatory'),
    'compliance.xml': logPolicy('compliance', compliance, 'mandatory'),
  });
  const json = JSON.parse(
    (await runBounded(['resolve', path.join(dir, 'p.json'), '--policies', folder, '--json'], { cwd: dir })).stdout,
  ) as { auditLogFiles: string[] };
  // What the session writes (resolution-enforcement.ts): all three.
  expect(json.auditLogFiles).toEqual(expect.arrayContaining([security, compliance, path.join(dir, 'mine.jsonl')]));
  const text = await runBounded(['resolve', path.join(dir, 'p.json'), '--policies', folder], { cwd: dir });
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(security);
  expect(text.stdout).toContain(compliance);
});
