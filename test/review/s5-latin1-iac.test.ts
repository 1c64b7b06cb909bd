/**
 * Review s5 (0xFF refusal vs latin1 secrets): with network.encoding latin1, `ÿ` is the byte 0xFF
 * (Telnet IAC). control-connection.ts refuses every command holding it, PASS included, with the
 * words written for file names: "it could name another file; ... rename the file on the server
 * to reach it". A password with ÿ (a legal latin1 password) is refused before login with advice
 * about renaming a file, and exit 2 (usage) as if the command line were wrong.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-s5-iac-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a latin1 password holding ÿ is not refused as a file name to rename on the server', async () => {
  await withHostileProfile(
    { dir, pki, name: 'latin1-pass', passwordEnv: 'PW', profile: { network: { encoding: 'latin1' } } },
    {},
    async (profile) => {
      const run = await runBounded(['session', 'ls', profile, '--json'], { cwd: dir, env: { PW: 'Haÿ-2026' } });
      const { error } = JSON.parse(run.stdout || '{}') as { error?: { code: string; message: string } };
      // Found: exit 2, FTPSCTL_ERR_USAGE '"PASS ****" holds the byte 0xFF ... rename the file on the server to reach it'.
      expect(error?.message ?? '').not.toMatch(/rename the file/);
      expect(run.code).not.toBe(2);
    },
  );
});
