/**
 * Review (the library as a program uses it): connect() options a JavaScript program gets wrong.
 * README: errors are FtpsctlError with stable codes; the audit logs are the ones the caller names.
 *
 * - `auditLogFiles: 'audit.log'` (a string, not an array) is spread into one-letter paths: the
 *   session connects and writes its events to `./a`, `./u`, `./d`, ... in the working folder
 *   (an absolute path instead is refused as "the audit log / is a directory").
 * - `policies: '/srv/team/policies'` (a string) and `policies: [null]` throw a bare TypeError
 *   ("(paths ?? []).some is not a function", "Cannot read properties of null"), not an
 *   FtpsctlError, and `auditLogFiles: [123]` a bare ERR_INVALID_ARG_TYPE.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { connect, isFtpsctlError, type ConnectOptions } from '../../src';
import { startLibraryWorkspace, type LibraryWorkspace } from '../helpers/library-workspace';

jest.setTimeout(60_000);

let workspace: LibraryWorkspace;
beforeAll(async () => {
  workspace = await startLibraryWorkspace('library-options-secret-2b9d');
});
afterAll(() => workspace?.stop());

/** What connect() does with `options` (as a JavaScript caller passes them): 'connected' or the error's code. */
async function connectWith(profile: string, options: unknown): Promise<string> {
  try {
    const session = await connect(profile, options as ConnectOptions);
    await session.close();
    return 'connected';
  } catch (error) {
    return isFtpsctlError(error) ? error.code : `a bare ${(error as Error).constructor.name}`;
  }
}

it('auditLogFiles given as one string is not spread into one-letter audit logs in the working folder', async () => {
  const profile = workspace.profileFolder('audit-log-string');
  const cwd = mkdtempSync(path.join(workspace.dir, 'cwd-'));
  const before = process.cwd();
  process.chdir(cwd);
  let result: string;
  try {
    result = await connectWith(profile, { auditLogFiles: 'log' });
  } finally {
    process.chdir(before);
  }
  // Either refused as a usage error, or the one log 'log' written: never ./l, ./o, ./g.
  expect({ result, files: readdirSync(cwd).sort() }).toEqual(
    result === 'connected' ? { result, files: ['log'] } : { result: 'FTPSCTL_ERR_USAGE', files: [] },
  );
});

it.each([
  ['policies as one string', (dir: string) => ({ policies: dir })],
  ['policies: [null]', () => ({ policies: [null] })],
  ['auditLogFiles: [123]', () => ({ auditLogFiles: [123] })],
])('%s: an FtpsctlError with a stable code, not a bare TypeError', async (name, options) => {
  const profile = workspace.profileFolder(`bad-option-${name.replace(/\W+/g, '-')}`);
  expect(await connectWith(profile, options(workspace.dir))).toMatch(/^FTPSCTL_ERR_/);
});
