/**
 * A server that limits connections per user (proftpd's MaxClientsPerHost answers 530 at login,
 * pure-ftpd's per-user limit too): a mirror at transfer.parallel 3 goes on with the connection
 * it has, and the audit log says why the extra connections ended, not "check the user and the
 * password" (review of the FTPS options against the real servers).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';
import { runCli } from '../helpers/run-cli';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-mirror-limit-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('extra connections refused at login: the mirror finishes on the first, and their session.end names the connection limit', async () => {
  const listing = ['a', 'b', 'c', 'd']
    .map((name) => `-rw-r--r--    1 ftp      ftp        1000 Jan 01 00:00 ${name}.bin\r\n`)
    .join('');
  let logins = 0;
  const local = path.join(dir, 'out');
  mkdirSync(local);
  const log = path.join(dir, 'audit.jsonl');
  await withHostileProfile(
    { dir, pki, name: 'limited', passwordEnv: 'PW', transfer: { parallel: 3 } },
    {
      payloads: { listing, download: Buffer.alloc(1000, 7) },
      replies: {
        PASS: () =>
          ++logins === 1
            ? '230 Logged in'
            : '530 Sorry, the maximum number of clients (1) from your host are already connected.',
        SIZE: '213 1000',
      },
    },
    async (profile) => {
      const run = await runCli(['session', 'mirror', profile, 'in', local, '--audit-log', log], {
        cwd: dir,
        env: { PW: 'pw-limited-1', FTPSCTL_POLICY_DIR: '' },
      });
      expect(run.stdout).toContain('downloaded 4, unchanged 0, refused 0, failed 0');
      expect(run.code).toBe(0);
    },
  );
  expect(readdirSync(local).sort()).toEqual(['a.bin', 'b.bin', 'c.bin', 'd.bin']);
  const ends = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { event: { action: string; outcome: string }; error?: { message: string } })
    .filter((event) => event.event.action === 'session.end');
  const refused = ends.filter((event) => event.event.outcome === 'failure');
  expect(refused.length).toBeGreaterThan(0);
  for (const event of refused) {
    expect(event.error?.message).toContain('the server limits connections per user or host');
    expect(event.error?.message).not.toContain('check the user and the password');
  }
});
