/**
 * tls.pki.pinnedPublicKeySha256 (curl's --pinnedpubkey sha256//BASE64) against real TLS
 * servers: the embedded loopback FTPS server, and the hostile server where a test must prove
 * that no USER crossed the wire after a mismatch. The test PKI signs `server`, `revoked`
 * (a renewal: new serial, same key) and `selfSigned` with one key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki, type PemPair } from '../../src/loopback/pki';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';
import { startHostileServer, type HostileServer } from '../../packages/testbed/src/hostile-server';
import { openSession, type FtpsSession } from '../../src/engine';
import { publicKeyPin } from '../../src/engine/certificate-pins';
import { exitCodeFor } from '../../src/errors/exit-codes';
import { engineSettingsFor, type ProfileOverrides } from '../helpers/engine-settings';

const PASSWORD = 'pin-test-secret-0c41';
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-engine-pins-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withServer(cert: PemPair, run: (server: EmbeddedServer) => Promise<void>): Promise<void> {
  const root = mkdtempSync(path.join(dir, 'root-'));
  const server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: cert.cert, key: cert.key },
  });
  try {
    await run(server);
  } finally {
    await server.stop();
  }
}

const open = (port: number, overrides: ProfileOverrides): Promise<FtpsSession> =>
  openSession(engineSettingsFor(port, pki.caFile, overrides), { password: PASSWORD });

describe('public key pins against the embedded FTPS server', () => {
  it('a pin taken from the old certificate still accepts the renewed one (same key), on the control and the PROT P data connections', async () => {
    const pin = publicKeyPin(pki.server.cert);
    await withServer(pki.revoked, async (server) => {
      const session = await open(server.port, { tls: { pki: { pinnedPublicKeySha256: [pin] } } });
      expect(session.tlsInfo()).toMatchObject({
        chainValidated: true,
        pinned: true,
        serverCertificate: { sha256: pki.revoked.sha256 },
      });
      expect(await session.list()).toEqual([]);
      await session.close();
    });
  });

  it('authenticates a self-signed server with validation off by its public key pin alone', async () => {
    await withServer(pki.selfSigned, async (server) => {
      const session = await open(server.port, {
        tls: { validateCertificateChain: false, pki: { pinnedPublicKeySha256: [publicKeyPin(pki.selfSigned.cert)] } },
      });
      expect(session.tlsInfo()).toMatchObject({ chainValidated: false, pinned: true });
      expect(await session.list()).toEqual([]);
      await session.close();
    });
  });
});

/**
 * Refusals run against the hostile server: it records every command (proof that no USER was
 * sent), and it drops a connection the client abandons mid-handshake cleanly.
 */
describe('public key pins against the hostile server', () => {
  async function withHostile(cert: PemPair, run: (server: HostileServer) => Promise<void>): Promise<void> {
    const server = await startHostileServer({}, { pki: { cert: cert.cert, key: cert.key } });
    try {
      await run(server);
    } finally {
      await server.stop();
    }
  }

  it("the old certificate's fingerprint does not survive the renewal: exit 5, both values shown, no USER sent", async () => {
    await withHostile(pki.revoked, async (server) => {
      const error = await open(server.port, { tls: { pki: { pinnedSha256: [pki.server.sha256] } } }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'FTPSCTL_ERR_PIN_MISMATCH' });
      expect(exitCodeFor((error as { code: string }).code)).toBe(5);
      expect((error as Error).message).toContain(
        `the certificate's SHA-256 is ${pki.revoked.sha256}, and tls.pki.pinnedSha256 expects ${pki.server.sha256}`,
      );
      expect(server.commands()).toEqual(['AUTH']);
    });
  });

  it('refuses validation off without any pin (fail closed, even past the schema), no USER sent', async () => {
    await withHostile(pki.selfSigned, async (server) => {
      await expect(
        open(server.port, { tls: { validateCertificateChain: false, pki: { pinnedPublicKeySha256: [] } } }),
      ).rejects.toMatchObject({ code: 'FTPSCTL_ERR_CERT_UNTRUSTED' });
      expect(server.commands()).toEqual(['AUTH']);
    });
  });

  it('a server with another key: FTPSCTL_ERR_PIN_MISMATCH naming the expected pins and the actual one, and no USER sent', async () => {
    const expected = publicKeyPin(pki.client.cert);
    const server = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
    try {
      const error = await open(server.port, { tls: { pki: { pinnedPublicKeySha256: [expected] } } }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'FTPSCTL_ERR_PIN_MISMATCH' });
      expect((error as Error).message).toBe(
        `the server 127.0.0.1 (control connection) does not match the pinned values: the server's public key pin is ${publicKeyPin(pki.server.cert)}, and tls.pki.pinnedPublicKeySha256 expects ${expected}. If the server's certificate or key was replaced on purpose, pin the new value`,
      );
      expect(server.commands()).toEqual(['AUTH']);
    } finally {
      await server.stop();
    }
  });
});
