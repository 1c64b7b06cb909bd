/**
 * Review (the library as a program uses it): a server that echoes the password. README: "Nothing
 * secret ... in logs, audit events, errors". The CLI redacts on output (src/cli/redacted-output.ts,
 * test/hardening/echoed-secrets.test.ts), but `connect()` hands the program the FtpsctlError as
 * made: its `message` (and the `reply` it carries) hold the password the server echoed, and a
 * program that does the README's `console.error(error.code, error.message)` prints it. The audit
 * log of the same session has it redacted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { connect, isFtpsctlError } from '../../src';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';

jest.setTimeout(60_000);

const PASSWORD = 'Library-Echo-4e7c-secret';
let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-library-echo-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function connectError(name: string, passPrefix: string): Promise<{ error: unknown; audit: string }> {
  return withHostileProfile(
    { dir, pki, name, passwordEnv: 'LIBRARY_ECHO_PW' },
    { replies: { PASS: (command) => `${passPrefix} ${command.argument}` } },
    async (profile) => {
      const audit = path.join(dir, `${name}.jsonl`);
      const error = await connect(profile, {
        auditLogFiles: [audit],
        secrets: { env: { LIBRARY_ECHO_PW: PASSWORD } },
      }).then(
        async (session) => {
          await session.close();
          return undefined;
        },
        (failure: unknown) => failure,
      );
      return { error, audit: readFileSync(audit, 'utf8') };
    },
  );
}

describe('connect() against a server that echoes the password in its 530', () => {
  it('the FtpsctlError the program gets does not hold the password (message, reply, inspect)', async () => {
    const { error, audit } = await connectError('library-echo-530', '530 Login incorrect for password');
    expect(isFtpsctlError(error)).toBe(true);
    // The audit log of the same session is redacted: the library knows the secret.
    expect(audit).toContain('[REDACTED]');
    expect(audit).not.toContain(PASSWORD);
    // What a program prints: error.message, the reply, util.inspect / console.error(error).
    expect((error as Error).message).not.toContain(PASSWORD);
    expect(JSON.stringify((error as { reply?: unknown }).reply ?? null)).not.toContain(PASSWORD);
    expect(inspect(error)).not.toContain(PASSWORD);
  });
});
