/**
 * Review of today's redaction changes (secret-redaction.ts, redacted-output.ts, logJson):
 *
 * - `--json` payloads now go through redactSecretsIn, which rebuilds every object from
 *   Object.entries: a Date has none, so `session ls --json` prints `"modifiedAt": {}` for every
 *   entry whenever a password was read (every session with one), where it printed the ISO time.
 * - A password under 4 characters is registered in its raw form only (a longer one also in its
 *   JSON-escaped and URL-encoded forms): a server echoing it inside text the engine quotes
 *   with JSON.stringify (`PASV reply has no address: "…"`) gets it past the redaction, on
 *   stderr and in the --json error message alike.
 * - The whole-word rule counts "." as a word boundary: a one-digit password ("1") replaces
 *   every dotted component equal to it, so the audit trail records the server as
 *   `127.0.0.[REDACTED]` and TLS as `[REDACTED].3`: the forensic record is garbled (and the
 *   redactions point at the password).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-redaction-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MLSD_FEATURES = ['AUTH TLS', 'PBSZ', 'PROT', 'EPSV', 'PASV', 'SIZE', 'UTF8', 'MLST type*;size*;modify*;'];

it("session ls --json keeps each entry's modification time (a Date) when a password was read", async () => {
  await withHostileProfile(
    { dir, pki, name: 'ls-time', passwordEnv: 'PW' },
    { features: MLSD_FEATURES, payloads: { mlsd: 'type=file;size=1;modify=20240101120000; a.txt\r\n' } },
    async (profile) => {
      const run = await runBounded(['session', 'ls', profile, '--json'], {
        cwd: dir,
        env: { PW: 'a-long-password-1' },
      });
      expect(run.code).toBe(0);
      const { entries } = JSON.parse(run.stdout) as { entries: Array<{ name: string; modifiedAt?: unknown }> };
      // Found: {} (redactSecretsIn copies a Date as an object with no members).
      expect(entries[0]?.modifiedAt).toBe('2024-01-01T12:00:00.000Z');
    },
  );
});

describe('a 3-character password echoed inside text the engine quotes', () => {
  const password = 'p"1';
  const script = { replies: { EPSV: '229 no port here', PASV: `227 nope ${password}` } };

  it('is not on stderr, raw or JSON-escaped', async () => {
    await withHostileProfile({ dir, pki, name: 'short-quoted', passwordEnv: 'PW' }, script, async (profile) => {
      const run = await runBounded(['session', 'ls', profile], { cwd: dir, env: { PW: password } });
      expect(run.code).toBe(6);
      expect(run.stderr).toContain('PASV reply has no address');
      // Found: PASV reply has no address: "nope p\"1"
      expect(run.stderr).not.toContain(JSON.stringify(password).slice(1, -1));
      expect(run.stderr).not.toContain(password);
    });
  });

  it('is not in the --json error message', async () => {
    await withHostileProfile({ dir, pki, name: 'short-quoted-json', passwordEnv: 'PW' }, script, async (profile) => {
      const run = await runBounded(['session', 'ls', profile, '--json'], { cwd: dir, env: { PW: password } });
      expect(run.code).toBe(6);
      const { error } = JSON.parse(run.stdout) as { error: { message: string } };
      expect(error.message).toContain('PASV reply has no address');
      expect(error.message).not.toContain(JSON.stringify(password).slice(1, -1));
      expect(error.message).not.toContain(password);
    });
  });
});

it('a one-digit password does not garble the server address and TLS version in the audit trail', async () => {
  await withHostileProfile({ dir, pki, name: 'digit', passwordEnv: 'PW' }, {}, async (profile) => {
    const log = path.join(dir, 'digit-audit.jsonl');
    const run = await runBounded(['session', 'check', profile, '--audit-log', log], { cwd: dir, env: { PW: '1' } });
    expect(run.code).toBe(0);
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { server?: { address?: string }; tls?: { version?: string } });
    // Found: "127.0.0.[REDACTED]" and "[REDACTED].3".
    expect(events[0]?.server?.address).toBe('127.0.0.1');
    expect(events.find((e) => e.tls)?.tls?.version).toBe('1.3'); // ECS tls.version
  });
});
