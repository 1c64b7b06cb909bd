/**
 * Review (auditor's view): from an audit event back to the exact policy text.
 *
 * docs/audit-events.md: `ftpsctl.resolution_sha256` is "the same value `ftpsctl resolve --json`
 * prints for that profile and policy set". It is not: the hash covers the policy file paths as
 * typed (relative to the working directory), so the same profile and the same policy bytes give
 * a different hash with `--policies pol`, `--policies ./pol/`, `--policies /abs/pol` or from
 * another folder with `--policies ../pol`. An auditor who runs `resolve` from their own shell
 * cannot reproduce the hash in the log. And the events name the policy file as typed
 * (`ftpsctl.policies[].file`, `ftpsctl.policy_sources[].path`: `pol/p.xml`) with no working
 * directory recorded, so the auditor cannot find the file the sha256 is of.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

const PASSWORD = 'review-resolution-hash-2b9e';
let dir: string;
let pki: TestPki;
let server: EmbeddedServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-hash-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
  mkdirSync(path.join(dir, 'root'));
  mkdirSync(path.join(dir, 'pol'));
  mkdirSync(path.join(dir, 'elsewhere'));
  writeFileSync(
    path.join(dir, 'pol', 'p.xml'),
    '<policy xmlns="urn:ftpsctl:policy:1" name="tiny" scope="user" priority="1">\n' +
      '  <setting path="transfer.verify" enforce="floor">size</setting>\n</policy>\n',
  );
  server = await startEmbeddedServer({
    root: path.join(dir, 'root'),
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: pki.server.cert, key: pki.server.key },
  });
  writeFileSync(
    path.join(dir, 'p.json'),
    JSON.stringify({
      name: 'hash-review',
      host: '127.0.0.1',
      port: server.port,
      user: 'alice',
      password: { env: 'HASH_PW' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
    }),
  );
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function hashOf(cwd: string, profile: string, policies: string): Promise<string> {
  const run = await runBounded(['resolve', profile, '--policies', policies, '--json'], { cwd });
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { resolution_sha256: string }).resolution_sha256;
}

it('resolve --json gives one resolution_sha256 for one profile and one policy text, however the folder is spelled', async () => {
  const hashes = new Set([
    await hashOf(dir, 'p.json', 'pol'),
    await hashOf(dir, 'p.json', './pol/'),
    await hashOf(dir, 'p.json', path.join(dir, 'pol')),
    await hashOf(path.join(dir, 'elsewhere'), '../p.json', '../pol'),
  ]);
  expect(hashes.size).toBe(1);
});

it('the audit event names the policy file so that it can be found (an absolute path), with the hash resolve prints', async () => {
  const log = path.join(dir, 'audit.jsonl');
  const run = await runBounded(['session', 'check', 'p.json', '--policies', 'pol', '--audit-log', log], {
    cwd: dir,
    env: { HASH_PW: PASSWORD },
  });
  expect(run.code).toBe(0);
  const start = JSON.parse(readFileSync(log, 'utf8').split('\n')[0]) as {
    ftpsctl: { policies: Array<{ file: string }>; policy_sources: Array<{ path: string }>; resolution_sha256: string };
  };
  expect(start.ftpsctl.policies.map((p) => p.file)).toEqual([path.join(dir, 'pol', 'p.xml')]);
  expect(start.ftpsctl.policy_sources.map((p) => p.path)).toEqual([path.join(dir, 'pol', 'p.xml')]);
  // The auditor, in another folder, resolves the same profile against the same policy file.
  expect(await hashOf(path.join(dir, 'elsewhere'), path.join(dir, 'p.json'), path.join(dir, 'pol'))).toBe(
    start.ftpsctl.resolution_sha256,
  );
});
