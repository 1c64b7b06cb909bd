/**
 * Review (names between servers, file systems and the terminal): `audit sessions` (table)
 * prints what an audit log says (profile, server, reason, cipher) without printableText. A log
 * is a file anyone who can write it shapes (a copied log, one from another machine, a line
 * appended by hand): ESC sequences in it reach the reader's terminal (title, clear screen,
 * hidden text). `session ls` and error messages escape the same characters.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBounded } from './run-bounded';

jest.setTimeout(30_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-names-audit-sessions-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('audit sessions (table) shows ESC from a log line escaped', async () => {
  const log = path.join(dir, 'foreign.jsonl');
  const event = {
    '@timestamp': '2026-11-30T00:00:00Z',
    event: { action: 'session.end', outcome: 'failure', reason: 'cut \u001b[8mhidden' },
    ftpsctl: { session_id: 's1', profile: 'payroll\u001b]0;owned\u0007\u001b[2J' },
    server: { address: 'ftp.example.com\u001b[1A' },
    error: { code: 'FTPSCTL_ERR_CLOSED' },
  };
  writeFileSync(log, `${JSON.stringify(event)}\n`);
  const run = await runBounded(['audit', 'sessions', log], { cwd: dir });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('payroll');
  expect(run.stdout).not.toContain('\u001b');
  expect(run.stdout).not.toContain('\u0007');
});
