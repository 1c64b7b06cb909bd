/**
 * `session check` with tls.pki.pinnedPublicKeySha256 (curl's --pinnedpubkey form), as users run
 * it: the built binary against the embedded loopback server (a renewed certificate, same key)
 * and the hostile server (another key: exit 5 showing the expected and the actual pin).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startEmbeddedServer } from '../../src/loopback/server';
import { startHostileServer } from '../../packages/testbed/src/hostile-server';
import { publicKeyPin } from '../../src/engine/certificate-pins';
import { repoRoot, runCli } from '../helpers/run-cli';

jest.setTimeout(60_000);

const PASSWORD = 'cli-pin-secret-5e7a';
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-cli-pins-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeProfile(name: string, port: number, pki_: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      host: '127.0.0.1',
      port,
      user: 'alice',
      password: { env: 'FTPSCTL_TEST_PW' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false, ...pki_ } },
    }),
  );
  return file;
}

const check = (profile: string, json = false) =>
  runCli(['session', 'check', profile, '--policies', path.join(repoRoot, 'policies'), ...(json ? ['--json'] : [])], {
    env: { FTPSCTL_TEST_PW: PASSWORD },
    cwd: dir,
  });

describe('ftpsctl session check with a public key pin', () => {
  it('accepts a renewed certificate with the pinned key (exit 0)', async () => {
    const root = mkdtempSync(path.join(dir, 'root-'));
    const server = await startEmbeddedServer({
      root,
      users: [{ user: 'alice', password: PASSWORD }],
      pki: { cert: pki.revoked.cert, key: pki.revoked.key },
    });
    try {
      const result = await check(
        writeProfile('renewed', server.port, { pinnedPublicKeySha256: [publicKeyPin(pki.server.cert)] }),
        true,
      );
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({
        tls: { chainValidated: true, pinned: true, serverCertificate: { sha256: pki.revoked.sha256 } },
      });
    } finally {
      await server.stop();
    }
  });

  it('refuses a server with another key: exit 5, the expected and the actual pin on stderr and in --json', async () => {
    const server = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
    const expected = publicKeyPin(pki.client.cert);
    const actual = publicKeyPin(pki.server.cert);
    try {
      const profile = writeProfile('other-key', server.port, { pinnedPublicKeySha256: [expected] });
      const human = await check(profile);
      expect(human.code).toBe(5);
      expect(human.stderr).toContain(
        `the server's public key pin is ${actual}, and tls.pki.pinnedPublicKeySha256 expects ${expected}`,
      );
      const json = await check(profile, true);
      expect(json.code).toBe(5);
      expect(JSON.parse(json.stdout).error).toMatchObject({
        code: 'FTPSCTL_ERR_PIN_MISMATCH',
        exitCode: 5,
        pins: [{ setting: 'tls.pki.pinnedPublicKeySha256', expected: [expected], actual }],
      });
      expect(server.commands()).not.toContain('USER');
    } finally {
      await server.stop();
    }
  });
});
