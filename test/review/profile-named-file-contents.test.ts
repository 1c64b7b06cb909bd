/**
 * Review (profiles as users write them): files a profile names that are regular files under
 * their caps but of the wrong kind. README "Session profiles": "Every file the profile names
 * must be a readable regular file under its size cap, checked by `profile validate`, `resolve`
 * and every session command before anything connects"; exit 3 is "a file one names (CA, CRL,
 * client certificate or key, password file), is missing, unreadable or invalid".
 *
 * Found:
 * - tls.pki.caFile that is empty, holds a private key, or is DER: `profile validate` says
 *   valid, and `session check` connects, does the TLS handshake and fails with exit 5 "the
 *   server certificate was issued by a CA that is not trusted; put the issuing CA in
 *   tls.pki.caFile" (the user did). The file is never said to hold no PEM certificate.
 * - tls.pki.clientCertificate.certFile holding a private key: exit 3, but the message names
 *   only "tls.pki" and OpenSSL's code (ERR_OSSL_PEM_NO_START_LINE), not the setting or the file.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';
import { checkProfileFile } from '../../src/profile/load-profile';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

const PASSWORD = 'Named-Files-Pw-31f';
let dir: string;
let pki: TestPki;
let server: EmbeddedServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-named-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
  server = await startEmbeddedServer({
    root: mkdtempSync(path.join(dir, 'root-')),
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: pki.server.cert, key: pki.server.key },
  });
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A profile for the loopback server whose tls.pki is `pki`; returns its path. */
function profileWith(name: string, pkiSettings: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      host: '127.0.0.1',
      port: server.port,
      user: 'alice',
      password: { env: 'REVIEW_NAMED_PW' },
      tls: { serverName: 'localhost', pki: { useSystemTrustStore: false, ...pkiSettings } },
    }),
  );
  return file;
}

function derOf(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
}

const wrongCaFiles: Array<[string, () => Buffer | string]> = [
  ['an empty file', () => ''],
  ['a PEM private key', () => readFileSync(pki.client.keyFile)],
  ['a DER certificate', () => derOf(pki.ca)],
];

describe('a CA file that holds no PEM certificate', () => {
  it('control: the same profile with the test CA connects (exit 0)', async () => {
    const run = await runBounded(['session', 'check', profileWith('control', { caFile: pki.caFile })], {
      env: { REVIEW_NAMED_PW: PASSWORD },
      boundMs: 30_000,
    });
    expect(run.stderr).not.toContain('failed');
    expect(run.code).toBe(0);
  });

  it.each(wrongCaFiles)(
    'profile validate refuses tls.pki.caFile holding %s (exit 3, naming the setting)',
    async (what, bytes) => {
      const caFile = path.join(dir, `ca-${what.replace(/\W+/g, '-')}.pem`);
      writeFileSync(caFile, bytes());
      const profile = profileWith(`validate-${what.replace(/\W+/g, '-')}`, { caFile });
      const result = await checkProfileFile(profile);
      expect(result.valid).toBe(false);
      expect(result.problems.map((p) => p.pointer)).toContain('/tls/pki/caFile');
    },
  );

  it.each(wrongCaFiles)(
    'session check refuses tls.pki.caFile holding %s before connecting (exit 3)',
    async (what, bytes) => {
      const caFile = path.join(dir, `ca-session-${what.replace(/\W+/g, '-')}.pem`);
      writeFileSync(caFile, bytes());
      const profile = profileWith(`session-${what.replace(/\W+/g, '-')}`, { caFile });
      const before = server.connections;
      const run = await runBounded(['session', 'check', profile], {
        env: { REVIEW_NAMED_PW: PASSWORD },
        boundMs: 30_000,
      });
      expect(run.killed).toBe(false);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('tls.pki.caFile');
      expect(run.stderr).toContain(path.basename(caFile));
      expect(server.connections).toBe(before);
    },
  );
});

describe('a client certificate file that holds a key', () => {
  it('the error names tls.pki.clientCertificate.certFile and the file, not only "tls.pki"', async () => {
    const profile = profileWith('cert-is-key', {
      caFile: pki.caFile,
      clientCertificate: { certFile: pki.client.keyFile, keyFile: pki.client.keyFile },
    });
    const run = await runBounded(['session', 'check', profile], {
      env: { REVIEW_NAMED_PW: PASSWORD },
      boundMs: 30_000,
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('tls.pki.clientCertificate.certFile');
    expect(run.stderr).toContain(path.basename(pki.client.keyFile));
  });
});
