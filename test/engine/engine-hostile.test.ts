/**
 * The engine against the scriptable hostile server: every fault the issue lists, and proof
 * from the server's own record of what the client sent and did not send.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { buildCrl } from '../../src/loopback/pki/build-crl';
import { toPem } from '../../src/loopback/pki/pem';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import {
  DEFAULT_DOWNLOAD,
  dataBeforePreliminary,
  dropDataMidTransfer,
  finalReplyBeforeData,
  foreignPasvAddress,
  malformedReply,
  mergedReplies,
  noCloseNotify,
  refuseAuthTls,
  scripted,
  splitReplies,
  stall,
  startHostileServer,
  type HostileScript,
  type HostileServer,
  type HostileServerOptions,
} from '../../packages/testbed/src/hostile-server';
import { openSession, type FtpsSession, type ProtocolLogLine } from '../../src/engine';
import { engineSettingsFor, type ProfileOverrides } from '../helpers/engine-settings';

const PASSWORD = 'hostile-test-secret-7d1f';
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-engine-hostile-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withServer<T>(
  script: HostileScript,
  run: (server: HostileServer) => Promise<T>,
  options: HostileServerOptions = {},
): Promise<T> {
  const server = await startHostileServer(script, { pki: { cert: pki.server.cert, key: pki.server.key }, ...options });
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

async function open(
  server: HostileServer,
  overrides: ProfileOverrides = {},
  log?: ProtocolLogLine[],
): Promise<FtpsSession> {
  return openSession(
    engineSettingsFor(server.port, pki.caFile, overrides),
    { password: PASSWORD },
    log ? { log: (line) => log.push(line) } : {},
  );
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('engine vs hostile server: the secure path', () => {
  it('logs in over TLS, lists, gets and puts with PROT P data connections that resume the control session', async () => {
    await withServer({}, async (server) => {
      const log: ProtocolLogLine[] = [];
      const session = await open(server, {}, log);
      expect(session.tlsInfo()).toMatchObject({
        version: 'TLSv1.3',
        protection: 'P',
        chainValidated: true,
        fips: 'off',
      });
      expect((await session.list()).map((e) => e.name)).toEqual(['payload.bin']);
      const local = path.join(dir, 'secure-get.bin');
      const got = await session.get('payload.bin', local, { sha256: true });
      expect(got).toMatchObject({
        bytes: DEFAULT_DOWNLOAD.length,
        verifiedBy: 'size',
        encrypted: true,
        sessionResumed: true,
        sha256: sha256(DEFAULT_DOWNLOAD),
      });
      expect(sha256(readFileSync(local))).toBe(sha256(DEFAULT_DOWNLOAD));
      const put = await session.put(local, 'up.bin', { verify: 'none' });
      expect(put.bytes).toBe(DEFAULT_DOWNLOAD.length);
      await session.close();
      expect(server.dataReceived().map((d) => d.bytes.length)).toEqual([DEFAULT_DOWNLOAD.length]);
      expect(
        server
          .handshakes()
          .filter((h) => h.channel === 'data')
          .every((h) => h.resumed),
      ).toBe(true);
      expect(server.commands()).toEqual([
        'AUTH',
        'USER',
        'PASS',
        'PBSZ',
        'PROT',
        'FEAT',
        'OPTS',
        'TYPE',
        'EPSV',
        'LIST',
        'SIZE',
        'EPSV',
        'RETR',
        'EPSV',
        'STOR',
        'QUIT',
      ]);
      // USER and everything after it arrived inside TLS.
      expect(
        server
          .commandLog()
          .filter((c) => c.verb !== 'AUTH')
          .every((c) => c.tlsUp),
      ).toBe(true);
      // The protocol log masks the password.
      expect(log.map((l) => l.line)).toContain('PASS ****');
      expect(JSON.stringify(log)).not.toContain(PASSWORD);
    });
  });

  it('works in implicit mode (TLS from the first byte)', async () => {
    await withServer(
      {},
      async (server) => {
        const session = await open(server, { tls: { implicit: true } });
        expect(session.info()).toMatchObject({ implicit: true, greeting: expect.any(String) });
        expect(await session.pwd()).toBe('/');
        await session.close();
        expect(server.commands()[0]).toBe('USER');
        expect(server.commandLog().every((c) => c.tlsUp)).toBe(true);
      },
      { implicit: true },
    );
  });

  it('handles replies split byte by byte and replies merged into one write', async () => {
    for (const script of [splitReplies(0), mergedReplies()]) {
      await withServer(script, async (server) => {
        const session = await open(server);
        expect((await session.list()).length).toBe(1);
        await session.close();
      });
    }
  });
});

describe('engine vs hostile server: no USER or PASS unless TLS and the certificate were accepted', () => {
  it('ends with FTPSCTL_ERR_TLS_REFUSED when AUTH TLS is refused, and sends nothing after AUTH', async () => {
    await withServer(refuseAuthTls(), async (server) => {
      await expect(open(server)).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_TLS_REFUSED',
        message: expect.stringContaining(
          'refused AUTH TLS (534 Request denied for policy reasons); ftpsctl never falls back to plain FTP',
        ),
      });
      await server.connectionClosed(1);
      expect(server.commands()).toEqual(['AUTH']);
    });
  });

  it.each([
    ['expired', 'FTPSCTL_ERR_CERT_EXPIRED'],
    ['wrongHost', 'FTPSCTL_ERR_CERT_HOSTNAME'],
    ['selfSigned', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
    ['untrusted', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
  ] as const)('a %s certificate fails with %s before USER', async (which, code) => {
    const certificate = pki[which];
    await withServer(
      {},
      async (server) => {
        await expect(open(server)).rejects.toMatchObject({ code });
        await server.connectionClosed(1);
        expect(server.commands()).toEqual(['AUTH']);
      },
      { pki: { cert: certificate.cert, key: certificate.key } },
    );
  });

  it('a revoked certificate fails with FTPSCTL_ERR_CERT_REVOKED when CRL checking is on', async () => {
    await withServer(
      {},
      async (server) => {
        await expect(
          open(server, { tls: { pki: { revocation: 'crl', crlFiles: [pki.crlFile] } } }),
        ).rejects.toMatchObject({ code: 'FTPSCTL_ERR_CERT_REVOKED' });
        expect(server.commands()).toEqual(['AUTH']);
      },
      { pki: { cert: pki.revoked.cert, key: pki.revoked.key } },
    );
  });

  it("a missing CRL fails closed and names the CRLs' issuers (every certificate of the chain needs its issuer's CRL)", async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const otherCrl = path.join(dir, 'other-ca.crl.pem');
    writeFileSync(
      otherCrl,
      toPem(
        'X509 CRL',
        buildCrl({
          issuer: { name: { commonName: 'Other Corp CA', organization: 'Other Corp' }, key: { privateKey, publicKey } },
          revokedSerials: [],
          thisUpdate: new Date(Date.now() - 60_000),
          nextUpdate: new Date(Date.now() + 86_400_000),
          crlNumber: 1n,
        }),
      ),
    );
    await withServer({}, async (server) => {
      const failure = (await open(server, { tls: { pki: { revocation: 'crl', crlFiles: [otherCrl] } } }).then(
        () => new Error('the session opened'),
        (error: unknown) => error,
      )) as Error;
      expect(failure).toMatchObject({ code: 'FTPSCTL_ERR_CERT_UNTRUSTED' });
      expect(failure.message).toContain('no CRL from the issuer of one of the server');
      expect(failure.message).toContain('tls.pki.crlFiles has CRLs from "O=Other Corp, CN=Other Corp CA" only');
      expect(server.commands()).toEqual(['AUTH']);
    });
  });

  it('a pin mismatch fails with FTPSCTL_ERR_PIN_MISMATCH even when the chain is valid', async () => {
    await withServer({}, async (server) => {
      await expect(open(server, { tls: { pki: { pinnedSha256: [pki.expired.sha256] } } })).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_PIN_MISMATCH',
      });
      expect(server.commands()).toEqual(['AUTH']);
    });
  });

  it('a pinned self-signed certificate is accepted with validation off', async () => {
    await withServer(
      {},
      async (server) => {
        const session = await open(server, {
          tls: { validateCertificateChain: false, pki: { pinnedSha256: [pki.selfSigned.sha256.toLowerCase()] } },
        });
        expect(session.tlsInfo()).toMatchObject({ chainValidated: false, pinned: true });
        expect((await session.list()).length).toBe(1);
        await session.close();
      },
      { pki: { cert: pki.selfSigned.cert, key: pki.selfSigned.key } },
    );
  });

  it('refuses a TLS version outside min..max with FTPSCTL_ERR_TLS_HANDSHAKE', async () => {
    await withServer(
      {},
      async (server) => {
        await expect(open(server, { tls: { minVersion: 'TLSv1.3' } })).rejects.toMatchObject({
          code: 'FTPSCTL_ERR_TLS_HANDSHAKE',
        });
        expect(server.commands()).toEqual(['AUTH']);
      },
      { tls: { maxVersion: 'TLSv1.2' } },
    );
  });

  it('refuses before connecting when a validated FIPS module is required and the runtime has none', async () => {
    await withServer({}, async (server) => {
      await expect(open(server, { tls: { fipsMode: true, requireValidatedCryptoModule: true } })).rejects.toMatchObject(
        { code: 'FTPSCTL_ERR_FIPS_UNAVAILABLE' },
      );
      expect(server.connections).toBe(0);
    });
  });

  it('runs FIPS mode with approved algorithms only and says so', async () => {
    await withServer({}, async (server) => {
      const session = await open(server, { tls: { fipsMode: true } });
      expect(session.tlsInfo()).toMatchObject({
        fips: 'approved-algorithms-only',
        cipher: expect.stringMatching(/AES_(128|256)_GCM/),
        group: expect.stringMatching(/prime256v1|secp384r1|P-256|P-384/),
      });
      await session.close();
    });
  });
});

describe('engine vs hostile server: data-channel address (NAT rule)', () => {
  it('refuses a PASV address that is not the control peer, with no data connection', async () => {
    await withServer(foreignPasvAddress(), async (server) => {
      const session = await open(server);
      await expect(session.list()).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_PASV_ADDRESS',
        message: expect.stringContaining('set network.nat to true'),
      });
      expect(server.dataConnections).toBe(0);
      await session.close();
    });
  });

  it('with network.nat connects to the control peer instead', async () => {
    await withServer(foreignPasvAddress(), async (server) => {
      const session = await open(server, { network: { nat: true } });
      expect((await session.list()).length).toBe(1);
      expect(server.dataConnections).toBe(1);
      await session.close();
    });
  });
});

describe('engine vs hostile server: broken replies and transfers', () => {
  it.each(['not-a-reply', 'two-digit-code', 'unterminated-multi-line', 'endless-line'] as const)(
    'a %s greeting is a protocol error',
    async (kind) => {
      await withServer(malformedReply(kind), async (server) => {
        await expect(open(server)).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PROTOCOL' });
      });
    },
  );

  it('a malformed reply to FEAT after login is a protocol error too', async () => {
    await withServer(malformedReply('not-a-reply', 'FEAT'), async (server) => {
      await expect(open(server)).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PROTOCOL' });
    });
  });

  it('a data connection dropped mid-transfer with 426 fails the get', async () => {
    await withServer(dropDataMidTransfer(4096), async (server) => {
      const session = await open(server);
      await expect(session.get('payload.bin', path.join(dir, 'drop426.bin'))).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_COMMAND_FAILED',
        reply: { code: 426 },
      });
      await session.close();
    });
  });

  it('a data connection cut without close_notify but answered 226 is caught by the size check', async () => {
    await withServer(noCloseNotify({ truncateAt: 10_000 }), async (server) => {
      const session = await open(server);
      await expect(session.get('payload.bin', path.join(dir, 'cut.bin'))).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_VERIFY',
        message: expect.stringContaining(`incomplete: 10000 of ${DEFAULT_DOWNLOAD.length} bytes`),
      });
      await session.close();
    });
  });

  it('finishes when 226 comes before the data has all arrived, and when data comes before 150', async () => {
    for (const script of [finalReplyBeforeData(), dataBeforePreliminary()]) {
      await withServer(script, async (server) => {
        const session = await open(server);
        const local = path.join(dir, 'race.bin');
        const result = await session.get('payload.bin', local);
        expect(result.bytes).toBe(DEFAULT_DOWNLOAD.length);
        expect(sha256(readFileSync(local))).toBe(sha256(DEFAULT_DOWNLOAD));
        await session.close();
      });
    }
  });

  it('times out on a server that never greets (connect timeout) and on a stalled data connection (idle timeout)', async () => {
    await withServer(stall('before-greeting'), async (server) => {
      await expect(open(server, { network: { connectTimeoutMs: 300 } })).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_TIMEOUT',
        // An explicit profile against an implicit-TLS server looks exactly like this: the hint says so.
        message: expect.stringContaining('if it is one, set tls.implicit to true'),
      });
    });
    await withServer(stall('after-preliminary'), async (server) => {
      const session = await open(server, { network: { idleTimeoutMs: 400 } });
      await expect(session.get('payload.bin', path.join(dir, 'stall.bin'))).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_TIMEOUT',
      });
      await session.close();
    });
  });

  it('refuses a path with CR or LF before anything is sent', async () => {
    await withServer({}, async (server) => {
      const session = await open(server);
      await expect(session.delete('a\r\nDELE b')).rejects.toMatchObject({ code: 'FTPSCTL_ERR_USAGE' });
      await session.close();
      expect(server.commands()).not.toContain('DELE');
    });
  });
});

describe('engine vs hostile server: injection before TLS', () => {
  it('refuses a session whose server sends a reply behind 234, before the handshake (exit 5 class), and sends no USER', async () => {
    await withServer(
      scripted([
        { expect: /^AUTH TLS$/, reply: { raw: '234 Proceed\r\n230 injected before TLS\r\n' }, thenUpgradeToTls: true },
      ]),
      async (server) => {
        await expect(open(server)).rejects.toMatchObject({
          code: 'FTPSCTL_ERR_DOWNGRADE',
          message: expect.stringContaining('sent data before the TLS handshake'),
        });
        expect(server.commands()).toEqual(['AUTH']);
      },
    );
  });
});
