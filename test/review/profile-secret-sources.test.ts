/**
 * Review (profiles as users write them): secret sources. README "Files a profile names": the
 * password or passphrase file is "owner-only, chmod 600", and every named file is "checked by
 * `profile validate`, `resolve` and every session command before anything connects".
 *
 * Found:
 * - A password file others can read (0644), or a 0-byte password file: `profile validate`
 *   (checkProfileFile, loadProfile) says valid; only the session refuses it, exit 3.
 * - A password file whose line ends in a lone CR (`pw\r`): the CR is kept as part of the
 *   password and the session ends with exit 2 "a command argument must not contain CR, LF or
 *   NUL: "PASS ****"", naming neither the password file nor the fix.
 * - `{"env": "NAME"}` naming a variable that is set but empty is reported as "which is not
 *   set", and both are FTPSCTL_ERR_USAGE (exit 2), not an input problem (exit 3).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exitCodeFor, FtpsctlError } from '../../src/errors';
import { checkProfileFile } from '../../src/profile/load-profile';
import { readSecret } from '../../src/session/secrets';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-secrets-src-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function profileWithPasswordFile(name: string, content: string, mode: number): string {
  const secret = path.join(dir, `${name}.pw`);
  writeFileSync(secret, content);
  chmodSync(secret, mode);
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({ name, host: 'ftp.example.com', user: 'alice', password: { file: `${name}.pw` } }),
  );
  return file;
}

const posix = process.platform === 'win32' ? it.skip : it;

describe('profile validate checks password files as the session does', () => {
  posix('a password file others can read (0644) is a problem at /password/file', async () => {
    const result = await checkProfileFile(profileWithPasswordFile('readable', 'S3cret-pw\n', 0o644));
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => p.pointer)).toContain('/password/file');
  });

  it('an empty (0-byte) password file is a problem at /password/file', async () => {
    const result = await checkProfileFile(profileWithPasswordFile('empty', '', 0o600));
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => p.pointer)).toContain('/password/file');
  });
});

describe('secret values from files and the environment', () => {
  it('a password file ending in a lone CR gives the password without the CR, or an error naming the file', async () => {
    const file = path.join(dir, 'cr.pw');
    writeFileSync(file, 'S3cret-pw\r');
    chmodSync(file, 0o600);
    const outcome = await readSecret({ file }, 'the password of profile cr', { env: {} }).catch((e: unknown) => e);
    if (typeof outcome === 'string') {
      expect(outcome).toBe('S3cret-pw');
    } else {
      expect(outcome).toBeInstanceOf(FtpsctlError);
      expect(exitCodeFor((outcome as FtpsctlError).code)).toBe(3);
      expect((outcome as FtpsctlError).message).toContain(file);
    }
  });

  it('an environment variable set to the empty string is said to be empty, as an input problem (exit 3)', async () => {
    const error = await readSecret({ env: 'REVIEW_EMPTY' }, 'the password of profile e', {
      env: { REVIEW_EMPTY: '' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FtpsctlError);
    expect((error as FtpsctlError).message).not.toContain('not set');
    expect((error as FtpsctlError).message).toContain('empty');
    expect(exitCodeFor((error as FtpsctlError).code)).toBe(3);
  });

  it('an unset environment variable named by the profile is an input problem (exit 3), not a usage error', async () => {
    const error = await readSecret({ env: 'REVIEW_UNSET' }, 'the password of profile u', { env: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FtpsctlError);
    expect(exitCodeFor((error as FtpsctlError).code)).toBe(3);
  });
});
