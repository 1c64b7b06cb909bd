/**
 * A server that echoes the password back (`530 Login incorrect for password <pw>`, or in a
 * greeting, a listing error, a 550 on RETR): the password reaches neither stderr, nor the
 * `--json` error, nor the audit log (issue 12, defect 10). The built binary, as users run it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HostileScript } from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';
import { runCli } from '../helpers/run-cli';

jest.setTimeout(60_000);

const PASSWORD = 'Echo-Me-9f3b!"quote\\slash';
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-echo-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runAgainst(
  script: HostileScript,
  args: string[],
  name: string,
): Promise<{ code: number; output: string; audit: string }> {
  return withHostileProfile({ dir, pki, name, passwordEnv: 'ECHO_PW' }, script, async (profile) => {
    const audit = path.join(dir, `${name}.jsonl`);
    const results = [];
    for (const json of [false, true]) {
      results.push(
        await runCli(
          [
            'session',
            ...args.map((a) => (a === 'PROFILE' ? profile : a)),
            '--audit-log',
            audit,
            ...(json ? ['--json'] : []),
          ],
          { cwd: dir, env: { ECHO_PW: PASSWORD, FTPSCTL_POLICY_DIR: '' } },
        ),
      );
    }
    return {
      code: results[0]!.code,
      output: results.map((r) => r.stdout + r.stderr).join('\n'),
      audit: readFileSync(audit, 'utf8'),
    };
  });
}

/** Every form in which the password could show: as is, JSON-escaped, without its quote and backslash. */
function expectNoPassword(text: string): void {
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(JSON.stringify(PASSWORD).slice(1, -1));
  expect(text).not.toContain('Echo-Me-9f3b');
}

describe('a server that echoes the password', () => {
  it('in its 530 reply to PASS: exit 6, the message says the login failed, no password anywhere', async () => {
    const result = await runAgainst(
      { replies: { PASS: (command) => `530 Login incorrect for password ${command.argument}` } },
      ['check', 'PROFILE'],
      'echo-530',
    );
    expect(result.code).toBe(6);
    expect(result.output).toMatch(/530 Login incorrect for password \[REDACTED\]/);
    expectNoPassword(result.output);
    expectNoPassword(result.audit);
  });

  it('in a 550 to RETR and in a multi-line reply', async () => {
    const result = await runAgainst(
      {
        replies: {
          SIZE: '550-No such file\r\n550 hint: your password is ' + PASSWORD,
          RETR: `550 cannot read ${PASSWORD}`,
        },
      },
      ['get', 'PROFILE', 'missing.bin', path.join(dir, 'out.bin')],
      'echo-550',
    );
    expect(result.code).toBe(6);
    expectNoPassword(result.output);
    expectNoPassword(result.audit);
  });
});

describe('a password that looks like a number or a short word', () => {
  const runWith = (password: string, script: HostileScript, name: string) =>
    withHostileProfile({ dir, pki, name, passwordEnv: 'SHORT_PW' }, script, (profile) =>
      runCli(['session', 'check', profile, '--json'], {
        cwd: dir,
        env: { SHORT_PW: password, FTPSCTL_POLICY_DIR: '' },
      }),
    );

  it('--json stays JSON: numbers equal to the password are kept, the echo in a string is redacted', async () => {
    const ok = await runWith('1', {}, 'short-ok');
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(JSON.stringify(result)).toMatch(/:1[,}]/); // some count of 1 survived as a number
    const refused = await runWith(
      'k9Z',
      { replies: { PASS: '530 Login incorrect: password k9Z is wrong' } },
      'short-530',
    );
    expect(refused.code).toBe(6);
    const { error } = JSON.parse(refused.stdout) as { error: { message: string } };
    expect(error.message).toContain('password [REDACTED] is wrong');
    expect(refused.stdout + refused.stderr).not.toMatch(/\bk9Z\b/);
  });
});
