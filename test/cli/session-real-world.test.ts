/**
 * Issue 11 as users see it: the built binary against the hostile server scripted as the
 * servers of the field. `ls` shows what it could not read and keeps every byte of names;
 * `mirror` counts an unreadable listing line as failed, with the line; a refused or cut
 * transfer is a failed `transfer` audit event and session.end says failure.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHostileServer, type HostileScript, type HostileServer } from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { repoRoot, runCli, type CliRun } from '../helpers/run-cli';

jest.setTimeout(60_000);

const PASSWORD = 'cli-real-world-secret-51e2';
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-cli-real-world-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeProfile(name: string, port: number): string {
  const file = path.join(dir, `${name}.json`);
  const profile = {
    name,
    host: '127.0.0.1',
    port,
    user: 'alice',
    password: { env: 'FTPSCTL_TEST_PW' },
    tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
    network: { connectTimeoutMs: 5000, idleTimeoutMs: 10000 },
  };
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

async function withServer(
  script: HostileScript,
  run: (server: HostileServer, profile: string) => Promise<void>,
): Promise<void> {
  const server = await startHostileServer(script, { pki: { cert: pki.server.cert, key: pki.server.key } });
  try {
    await run(server, writeProfile(`p${server.port}`, server.port));
  } finally {
    await server.stop();
  }
}

const session = (args: string[]): Promise<CliRun> =>
  runCli(['session', ...args, '--policies', path.join(repoRoot, 'policies')], {
    env: { FTPSCTL_TEST_PW: PASSWORD },
    cwd: dir,
  });

interface AuditLine {
  event: { action: string; outcome?: string };
  error?: { code: string };
  file?: { path: string };
  ftpsctl: { session_id: string; listing_line?: string; failed_transfers?: number };
}

function auditEvents(file: string): AuditLine[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditLine);
}

const LISTING =
  '05-22-22  08:43AM                   31  leading.txt\r\n-rw-r--r-- 1 ftp ftp 3 Nov 20  2021 good.txt\r\nthis line fits no format\r\n';

describe('ftpsctl session ls and mirror against servers of the field (issue 11)', () => {
  it('ls lists what it read, quotes a name with a leading space, warns and shows the unreadable line raw; --json has unparsed', async () => {
    await withServer({ payloads: { listing: LISTING } }, async (_server, profile) => {
      const human = await session(['ls', profile]);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('" leading.txt"');
      expect(human.stdout).toContain('good.txt');
      expect(human.stdout).toContain('this line fits no format');
      expect(human.stderr).toContain('ftpsctl: warning: 1 line of the LIST listing fit no known format');
      const json = await session(['ls', profile, '--json']);
      expect(json.code).toBe(0);
      const result = JSON.parse(json.stdout) as {
        command: string;
        entries: Array<{ name: string }>;
        unparsed: string[];
      };
      expect(result.command).toBe('LIST');
      expect(result.entries.map((e) => e.name)).toEqual([' leading.txt', 'good.txt']);
      expect(result.unparsed).toEqual(['this line fits no format']);
    });
  });

  it('mirror counts the unreadable line as failed, with the line, exits 6, and the audit log says failure', async () => {
    await withServer(
      { payloads: { listing: LISTING, download: 'x'.repeat(31) }, replies: { SIZE: '550 use the listing' } },
      async (server, profile) => {
        const audit = path.join(dir, `mirror-${server.port}.jsonl`);
        const target = path.join(dir, `mirror-${server.port}`);
        const run = await session(['mirror', profile, '/', target, '--audit-log', audit]);
        expect(run.code).toBe(6);
        expect(run.stdout).toMatch(/failed [1-9]/);
        expect(run.stderr).toContain(
          'has a line ftpsctl cannot read, so its entry was not mirrored: "this line fits no format"',
        );
        const events = auditEvents(audit);
        const failedTransfers = events.filter((e) => e.event.action === 'transfer' && e.event.outcome === 'failure');
        const unreadable = failedTransfers.find((e) => e.ftpsctl.listing_line === 'this line fits no format');
        expect(unreadable?.error?.code).toBe('FTPSCTL_ERR_PROTOCOL');
        // The mirror's own session (mirror workers write their own session.end) ends in failure.
        const end = events.find(
          (e) => e.event.action === 'session.end' && e.ftpsctl.session_id === unreadable?.ftpsctl.session_id,
        );
        expect(end).toMatchObject({ event: { outcome: 'failure' }, ftpsctl: { failed_transfers: expect.any(Number) } });
      },
    );
  });

  it('get answered 421 with both connections closed: exit 6, the 421 named, a failed transfer event', async () => {
    const script: HostileScript = {
      dataTls: 'withheld',
      download: {
        closeDataBeforeTls: { replies: ['421 Timeout (30 seconds): closing control connection.'], closeControl: true },
      },
    };
    await withServer(script, async (server, profile) => {
      const audit = path.join(dir, `get-${server.port}.jsonl`);
      const run = await session([
        'get',
        profile,
        'payload.bin',
        path.join(dir, `got-${server.port}.bin`),
        '--audit-log',
        audit,
      ]);
      expect(run.code).toBe(6);
      expect(run.stderr).toContain('421 Timeout (30 seconds): closing control connection.');
      expect(run.stderr).not.toMatch(/did not answer/);
      const events = auditEvents(audit);
      expect(events.find((e) => e.event.action === 'transfer')).toMatchObject({
        event: { outcome: 'failure' },
        file: { path: 'payload.bin' },
        error: { code: 'FTPSCTL_ERR_CLOSED' },
      });
      expect(events.find((e) => e.event.action === 'session.end')).toMatchObject({
        event: { outcome: 'failure' },
        error: { code: 'FTPSCTL_ERR_CLOSED' },
      });
    });
  });
});
