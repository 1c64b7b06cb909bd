/**
 * Review (README as a contract, Group Policy walk-through): `ftpsctl policy import Registry.pol
 * --scope machine --out FILE` — "The file it writes has priority 999999, the highest an XML file
 * may declare".
 *
 * Found: the file does say priority="999999", but the command's own report says otherwise:
 * "wrote FILE: policy group-policy-machine (machine scope, priority 1000000), 3 settings". The
 * admin is told the imported file still outranks every XML file of its scope (1000000 is the
 * Registry.pol rank), which is exactly what the README warns it no longer does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REG_DWORD, REG_SZ, writeRegistryPol } from '../../src/policy/group-policy/registry-pol';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-readme-import-'));
  writeFileSync(
    path.join(dir, 'Registry.pol'),
    writeRegistryPol([
      { key: 'Software\\Policies\\ftpsctl', valueName: 'tls.fipsMode', type: REG_DWORD, data: 1 },
      { key: 'Software\\Policies\\ftpsctl\\Floor', valueName: 'tls.minVersion', type: REG_SZ, data: 'TLSv1.3' },
    ]),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('policy import reports the priority the written file declares', async () => {
  const out = path.join(dir, '50-group-policy.xml');
  const run = await runBounded(['policy', 'import', 'Registry.pol', '--scope', 'machine', '--out', out], { cwd: dir });
  expect(run.killed).toBe(false);
  expect(run.code).toBe(0);
  const declared = /priority="(\d+)"/.exec(readFileSync(out, 'utf8'))?.[1];
  expect(declared).toBe('999999');
  expect(run.stdout).toContain(`priority ${declared}`);
  expect(run.stdout).not.toContain('priority 1000000');
});
