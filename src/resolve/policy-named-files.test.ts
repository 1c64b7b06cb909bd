import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exitCodeFor } from '../errors/exit-codes';
import { assertPolicyNamedFiles, checkPolicyNamedFiles, NamedFileError } from './policy-named-files';
import type { Resolution, ResolvedSetting } from './resolution';
import { SAMPLE_CA_PEM } from '../../test/fixtures/pem/sample-pem';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-policy-named-files-'));
  mkdirSync(path.join(dir, 'profiles'));
  mkdirSync(path.join(dir, 'policies'));
  writeFileSync(path.join(dir, 'policies', 'corp-ca.pem'), SAMPLE_CA_PEM);
  execFileSync('mkfifo', ['-m', '600', path.join(dir, 'profiles', 'pw.fifo')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const setting = (
  value: unknown,
  source: ResolvedSetting['source'],
  origin: Partial<ResolvedSetting> = {},
): ResolvedSetting => ({ value, source, status: source === 'policy' ? 'applied' : 'profile', ...origin });

describe('checkPolicyNamedFiles', () => {
  const policyFile = (): string => path.join(dir, 'policies', '10-corp.xml');
  const resolution = (caFile: string, crlFiles: unknown = undefined): Pick<Resolution, 'settings'> => ({
    settings: {
      'tls.pki.caFile': setting(caFile, 'policy', {
        policy: 'corp-ca',
        file: policyFile(),
        line: 7,
        column: 3,
        enforce: 'mandatory',
      }),
      'tls.pki.crlFiles': setting(crlFiles, crlFiles === undefined ? 'default' : 'profile'),
      password: setting({ file: 'pw.fifo' }, 'profile'),
    },
  });

  it("checks a policy's files from the policy folder, and leaves the profile's own to the profile check", async () => {
    expect(
      await checkPolicyNamedFiles(resolution('corp-ca.pem', ['missing.crl']), path.join(dir, 'profiles', 'p.json')),
    ).toEqual([]);
  });

  it('names the policy file, line and policy of a file that does not exist (exit 3)', async () => {
    const problems = await checkPolicyNamedFiles(resolution('gone.pem'), path.join(dir, 'profiles', 'p.json'));
    const resolved = path.join(dir, 'policies', 'gone.pem');
    expect(problems).toEqual([
      {
        setting: 'tls.pki.caFile',
        file: resolved,
        reason: 'missing',
        policy: 'corp-ca',
        policyFile: policyFile(),
        line: 7,
        column: 3,
        message: `${policyFile()}:7:3 tls.pki.caFile (mandatory in policy corp-ca): gone.pem (${resolved}) does not exist; check the path (a relative path is read from the folder of the file that names it)`,
        detail: `tls.pki.caFile (mandatory in policy corp-ca): gone.pem (${resolved}) does not exist; check the path (a relative path is read from the folder of the file that names it)`,
      },
    ]);
    const error = await assertPolicyNamedFiles(resolution('gone.pem'), path.join(dir, 'profiles', 'p.json')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NamedFileError);
    expect((error as NamedFileError).code).toBe('FTPSCTL_ERR_INPUT_FILE');
    expect(exitCodeFor((error as NamedFileError).code)).toBe(3);
    expect((error as NamedFileError).message).toBe(
      `a file a policy names can't be used (1 problem):\n  ${problems[0].message}`,
    );
  });

  it('refuses a policy CA that is a directory', async () => {
    const problems = await checkPolicyNamedFiles(resolution(dir), path.join(dir, 'profiles', 'p.json'));
    expect(problems.map((p) => p.message)).toEqual([
      `${policyFile()}:7:3 tls.pki.caFile (mandatory in policy corp-ca): ${dir} is a directory, not a regular file; give the path of a PEM certificate file`,
    ]);
  });
});
