/**
 * Review (hostile server): the built binary against packages/testbed's hostile server.
 *
 * - `session get` of a file that does not exist, on a server without HASH (vsftpd and pure-ftpd;
 *   the default transfer.verify is size): SIZE answers 550 (proftpd's and vsftpd's words below),
 *   and the error says the download "could not be verified" and to "ask the server's
 *   administrator to enable SIZE", FTPSCTL_ERR_VERIFY: the wrong cause and the wrong fix. The
 *   file is missing; the same command with transfer.verify hash sends RETR and says 550.
 * - Reply text is printed as the server sent it: an ESC sequence in a reply reaches the
 *   terminal (stderr) raw, while the same bytes in a listing name are shown escaped (\u{1b}).
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
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-hostile-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('session get of a missing file, SIZE answered 550', () => {
  it.each([
    ['proftpd', '550 missing.txt: No such file or directory'],
    ['vsftpd', '550 Could not get file size.'],
  ])('(%s) says the file is not there, not "enable SIZE"', async (name, reply) => {
    await withHostileProfile(
      { dir, pki, name: `missing-${name}`, passwordEnv: 'PW' },
      { replies: { SIZE: reply, RETR: reply } },
      async (profile) => {
        const run = await runBounded(['session', 'get', profile, 'missing.txt', '--json'], {
          cwd: dir,
          env: { PW: 'pw-missing-1' },
        });
        expect(run.code).toBe(6);
        const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } };
        expect(error.message).toContain(reply.slice(4));
        expect(error.message).not.toMatch(/enable SIZE/);
        expect(error.code).not.toBe('FTPSCTL_ERR_VERIFY');
      },
    );
  });
});

describe('terminal escape sequences in server text', () => {
  it('a reply with ESC [ 2 J is shown escaped on stderr, as a listing name is', async () => {
    await withHostileProfile(
      { dir, pki, name: 'escape', passwordEnv: 'PW' },
      { replies: { SIZE: '213 5', RETR: '550 gone \u001b[2J\u001b]0;owned\u0007' } },
      async (profile) => {
        const run = await runBounded(['session', 'get', profile, 'x.txt'], { cwd: dir, env: { PW: 'pw-escape-1' } });
        expect(run.code).toBe(6);
        expect(run.stderr).toContain('550 gone');
        expect(run.stderr).not.toContain('\u001b');
        expect(run.stderr).not.toContain('\u0007');
      },
    );
  });
});
