/**
 * Review (README as a contract, admin's view): "Mandated audit logs add up: every applicable
 * policy's mandatory `audit.logFile` gets every event, and so does the profile's own."
 * (README, "The administrator's intent, not only the letter"; resolution-enforcement.ts says the
 * same: "every mandatory `audit.logFile` of every applicable policy ... gets the events, none is
 * dropped").
 *
 * Found: that holds only while the two policies differ in rank. Two policies of equal rank (same
 * scope, same priority: a security team's and a compliance team's baseline, both at 100) that
 * each mandate their own log are reported as a contradiction ("make it mandatory with different
 * values ... give one a higher priority or make them agree") and every session is refused
 * (exit 4), although both logs would be written had one of them been at priority 101.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { policyDocument, writePolicyFolder } from '../helpers/policy-folder';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-readme-logs-'));
  writeFileSync(
    path.join(dir, 'p.json'),
    JSON.stringify({ name: 'payroll', host: 'ftp.corp.example', user: 'alice', password: { env: 'PW' } }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logPolicy = (name: string, log: string, priority: number): string =>
  policyDocument(
    name,
    `<setting path="audit.logFile" enforce="mandatory">${log}</setting>`,
    `scope="user" priority="${priority}"`,
  );

async function resolveWith(folder: string): Promise<{ code: number | null; json: Record<string, unknown> }> {
  const run = await runBounded(['resolve', path.join(dir, 'p.json'), '--policies', folder, '--json'], { cwd: dir });
  expect(run.killed).toBe(false);
  return { code: run.code, json: JSON.parse(run.stdout) as Record<string, unknown> };
}

it('two policies at different priorities each mandating a log: both logs are named (the README behaviour)', async () => {
  const folder = writePolicyFolder(dir, 'ranked', {
    'security.xml': logPolicy('security', path.join(dir, 'security.jsonl'), 100),
    'compliance.xml': logPolicy('compliance', path.join(dir, 'compliance.jsonl'), 101),
  });
  const { code, json } = await resolveWith(folder);
  expect(code).toBe(0);
  expect(json.auditLogFiles).toEqual(
    expect.arrayContaining([path.join(dir, 'security.jsonl'), path.join(dir, 'compliance.jsonl')]),
  );
});

it('two policies at EQUAL rank each mandating a log: the logs add up, the session is not refused', async () => {
  const folder = writePolicyFolder(dir, 'equal', {
    'security.xml': logPolicy('security', path.join(dir, 'security.jsonl'), 100),
    'compliance.xml': logPolicy('compliance', path.join(dir, 'compliance.jsonl'), 100),
  });
  const { code, json } = await resolveWith(folder);
  expect(json.violations).toEqual([]);
  expect(json.decision).toBe('allow');
  expect(code).toBe(0);
  expect(json.auditLogFiles).toEqual(
    expect.arrayContaining([path.join(dir, 'security.jsonl'), path.join(dir, 'compliance.jsonl')]),
  );
});
