/**
 * Review (mirror): two remote names that are different bytes land in one local file.
 *
 * The engine keeps bytes that are not UTF-8 as lone surrogates U+DC80..U+DCFF (name-codec.ts,
 * PEP 383) so the name goes back to the server byte for byte. The local side is not told:
 * Node writes a lone surrogate in a path as U+FFFD (EF BF BD). So `a\xff.bin` and `a\xfe.bin`
 * (a server in Latin-1) are both written to `a\uFFFD.bin`: the mirror reports 2 files
 * downloaded, the second overwrote the first, and there is one file on disk (with
 * transfer.parallel 2 both write the same part file at once, and one of them fails or both
 * "succeed", depending on timing). unsafeNameReason refuses control characters but not these.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-collide-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('two remote names that differ only in non-UTF-8 bytes: two local files, or a refusal; never "downloaded 2" into one file', async () => {
  const listing = Buffer.concat([
    Buffer.from('-rw-r--r--    1 ftp      ftp        102400 Jan 01 00:00 a'),
    Buffer.from([0xff]),
    Buffer.from('.bin\r\n-rw-r--r--    1 ftp      ftp        102400 Jan 01 00:00 a'),
    Buffer.from([0xfe]),
    Buffer.from('.bin\r\n'),
  ]);
  const local = path.join(dir, 'out');
  mkdirSync(local);
  await withHostileProfile(
    { dir, pki, name: 'collide', passwordEnv: 'PW', transfer: { parallel: 1 } },
    { payloads: { listing } },
    async (profile) => {
      const run = await runBounded(['session', 'mirror', profile, 'in', local, '--json'], {
        cwd: dir,
        env: { PW: 'pw-collide-1' },
        boundMs: 30_000,
      });
      const report = JSON.parse(run.stdout) as { transferred: unknown[]; refused: unknown[]; failed: unknown[] };
      const onDisk = readdirSync(local).filter((name) => !name.endsWith('.ftpsctl-part'));
      // Every file reported downloaded is its own file on disk.
      expect({ transferred: report.transferred.length, onDisk: onDisk.length }).toEqual({
        transferred: onDisk.length,
        onDisk: onDisk.length,
      });
      expect(report.transferred.length + report.refused.length + report.failed.length).toBe(2);
    },
  );
});
