/**
 * Review (profiles as users write them): settings that pass the schema but contradict each
 * other. With `tls.enabled: false` the session is plain FTP (ftps-session.ts uses
 * `tls.enabled && tls.implicit`), so `tls.implicit: true`, a client certificate and a password
 * source are silently meaningless or sent in clear. The schema's own description of `user`
 * says it is "sent with USER, only after TLS protects the control connection". Yet
 * `profile validate` says valid and `resolve --json` has no violation and no warning, while
 * the SOCKS5 case (proxy password in clear) does get a warning.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-tls-off-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function resolveJson(
  profile: Record<string, unknown>,
): Promise<{ warnings: string[]; violations: Array<{ message: string }> }> {
  const file = path.join(dir, `${String(profile.name)}.json`);
  writeFileSync(file, JSON.stringify(profile));
  const run = await runBounded(['resolve', file, '--json'], { cwd: dir });
  return JSON.parse(run.stdout) as { warnings: string[]; violations: Array<{ message: string }> };
}

describe('tls.enabled false with TLS-only settings', () => {
  it('tls.implicit true with tls.enabled false is said to contradict', async () => {
    const result = await resolveJson({
      name: 'implicit-off',
      host: 'ftp.example.com',
      tls: { enabled: false, implicit: true },
    });
    const said = [...result.warnings, ...result.violations.map((v) => v.message)];
    expect(said.some((text) => text.includes('tls.implicit'))).toBe(true);
  });

  it('a password sent without TLS gets a warning, as a SOCKS5 proxy password does', async () => {
    const result = await resolveJson({
      name: 'password-in-clear',
      host: 'ftp.example.com',
      user: 'alice',
      password: { env: 'SOME_PW' },
      tls: { enabled: false },
    });
    const said = [...result.warnings, ...result.violations.map((v) => v.message)];
    expect(said.some((text) => /tls\.enabled/.test(text) && /clear/.test(text))).toBe(true);
  });
});
