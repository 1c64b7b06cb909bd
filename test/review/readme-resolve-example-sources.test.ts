/**
 * Review (README as a contract, admin's view): the `resolve` examples show where each setting came
 * from as `FILE:LINE (policy, enforce)`; the line is what an admin opens the policy at.
 *
 * Found: the README's examples cite lines that are not the setting's line.
 *  - "Resolve": `ftpsctl resolve examples/profiles/proxy.json --policies policies` is shown with
 *    `policies/30-finance.xml:16` for tls.minVersion and `:13` for proxy.enabled; the command
 *    prints `:13` and `:10` (the shipped 30-finance.xml has them on lines 13 and 10).
 *  - "Managed sessions": the README lists `policies/10-baseline.xml` with `cat` (tls.enabled on
 *    line 2, ..., audit.logFile on line 7) and then shows resolve citing lines 3, 4, 5, 7, 8.
 * Each test runs the README's own command on the README's own files and compares the source
 * column of every setting row the README shows.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/run-cli';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

/** The lines of the console block that follow `$ <command>` up to the next `$ ` prompt or fence. */
function shownOutput(command: string): string[] {
  const start = readme.indexOf(`$ ${command}\n`);
  if (start < 0) throw new Error(`README no longer shows "$ ${command}"`);
  const lines = readme.slice(start + command.length + 3).split('\n');
  const end = lines.findIndex((line) => line.startsWith('$ ') || line.startsWith('```'));
  return lines.slice(0, end);
}

/** setting -> the `file:line (policy, enforce)` source of every row citing a policy file. */
function sources(lines: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of lines) {
    const match = /^([a-z][A-Za-z.]*)\s.*?\s(\S+\.xml:\d+ \([^)]*\))/.exec(line);
    if (match) found.set(match[1], match[2]);
  }
  return found;
}

it('the Resolve example (proxy.json under policies/) cites the lines resolve prints', async () => {
  const command = 'ftpsctl resolve examples/profiles/proxy.json --policies policies';
  const shown = sources(shownOutput(command));
  expect(shown.size).toBeGreaterThan(0);
  const run = await runBounded(command.split(' ').slice(1), { cwd: repoRoot });
  expect(run.killed).toBe(false);
  expect(run.code).toBe(0);
  const actual = sources(run.stdout.split('\n'));
  for (const [setting, source] of shown) expect(`${setting} ${actual.get(setting)}`).toBe(`${setting} ${source}`);
});

it('the Managed sessions walk-through cites the lines of the policy file it lists', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-readme-lines-'));
  try {
    const profile = shownOutput('cat payroll.json').join('\n');
    const policy = shownOutput('cat policies/10-baseline.xml').join('\n') + '\n';
    mkdirSync(path.join(dir, 'pki'));
    copyFileSync(path.join(repoRoot, 'examples/pki/corp-ca.pem'), path.join(dir, 'pki/ca-cert.pem'));
    writeFileSync(path.join(dir, 'payroll.json'), profile);
    mkdirSync(path.join(dir, 'policies'), { mode: 0o755 });
    writeFileSync(path.join(dir, 'policies/10-baseline.xml'), policy, { mode: 0o644 });
    const command = 'ftpsctl resolve payroll.json --policies policies';
    const shown = sources(shownOutput(command));
    expect(shown.size).toBe(5);
    const run = await runBounded(command.split(' ').slice(1), { cwd: dir });
    expect(run.killed).toBe(false);
    expect(run.code).toBe(0);
    const actual = sources(run.stdout.split('\n'));
    for (const [setting, source] of shown) expect(`${setting} ${actual.get(setting)}`).toBe(`${setting} ${source}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
