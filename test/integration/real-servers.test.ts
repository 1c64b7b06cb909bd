/**
 * The engine against vsftpd, proftpd, pure-ftpd and pyftpdlib from Debian's packages, on
 * 127.0.0.1: every operation in explicit and implicit mode, PROT P and PROT C where the server
 * has them, CCC where it is accepted and its refusal where it is not, client certificates and
 * certificate errors; and issue 11 on all four: names with leading, trailing and inner spaces
 * and a name that is not UTF-8 listed and fetched back byte for byte, MLSD refused (pyftpdlib
 * configured so) falling back to LIST. Under FTPSCTL_REQUIRE_REAL_SERVERS=1 (CI) a missing
 * server fails.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import {
  startProftpd,
  startPureFtpd,
  startPyftpdlib,
  startVsftpd,
  type RealServer,
  type RealServerKind,
} from '../../packages/testbed/src/real-servers';
import { describeWithServer } from '../../packages/testbed/src/real-servers/describe-with-server';
import { openSession, type FtpsSession } from '../../src/engine';
import { engineSettingsFor, type ProfileOverrides } from '../helpers/engine-settings';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
const servers: RealServer[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-real-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const tls = () => ({
  certFile: pki.server.certFile,
  keyFile: pki.server.keyFile,
  bundleFile: pki.serverBundleFile,
  caFile: pki.caFile,
});

async function started(server: Promise<RealServer>): Promise<RealServer> {
  const s = await server;
  servers.push(s);
  return s;
}

function open(server: RealServer, overrides: ProfileOverrides = {}, passphrase?: string): Promise<FtpsSession> {
  return openSession(engineSettingsFor(server.port, pki.caFile, { user: server.user, ...overrides }), {
    password: server.password,
    ...(passphrase ? { clientKeyPassphrase: passphrase } : {}),
  });
}

/** Every operation of the issue, checked against the server's own folder. */
async function everyOperation(
  server: RealServer,
  overrides: ProfileOverrides,
  expect_: { hash: boolean; mlsd: boolean },
): Promise<void> {
  const session = await open(server, overrides);
  try {
    const home = await session.pwd();
    await session.mkdir('work');
    await session.cwd('work');
    expect(await session.pwd()).toBe(path.posix.join(home, 'work'));
    const payload = randomBytes(700_000);
    const local = path.join(dir, `${server.kind}-${server.port}-up.bin`);
    writeFileSync(local, payload);
    const put = await session.put(local, 'a.bin', { verify: 'hash', sha256: true });
    expect(put).toMatchObject({
      bytes: payload.length,
      verifiedBy: expect_.hash ? 'hash' : 'size',
      sha256: sha256(payload),
    });
    expect(sha256(readFileSync(path.join(server.root, 'work', 'a.bin')))).toBe(sha256(payload));
    expect(await session.size('a.bin')).toBe(payload.length);
    expect(await session.stat('a.bin')).toMatchObject({ type: 'file', size: payload.length });
    expect(session.features.has('MLST')).toBe(expect_.mlsd);
    const listing = await session.list();
    expect(listing.map((e) => [e.name, e.type, e.size])).toEqual([['a.bin', 'file', payload.length]]);
    const down = path.join(dir, `${server.kind}-${server.port}-down.bin`);
    const get = await session.get('a.bin', down, { verify: 'hash', sha256: true });
    expect(get).toMatchObject({ verifiedBy: expect_.hash ? 'hash' : 'size', sha256: sha256(payload) });
    // Resume both ways: the first 100 kB locally, then REST; the first 300 kB remotely, then REST + STOR (or APPE).
    writeFileSync(down, payload.subarray(0, 100_000));
    const resumedGet = await session.get('a.bin', down, { offset: 100_000, verify: 'hash' });
    expect(resumedGet).toMatchObject({ offset: 100_000, bytes: payload.length - 100_000 });
    expect(sha256(readFileSync(down))).toBe(sha256(payload));
    await session.put(Readable.from([payload.subarray(0, 300_000)]), 'b.bin', { verify: 'size' });
    const resumedPut = await session.put(local, 'b.bin', { offset: 300_000, verify: 'hash' });
    expect(resumedPut).toMatchObject({ offset: 300_000, bytes: payload.length - 300_000 });
    expect(sha256(readFileSync(path.join(server.root, 'work', 'b.bin')))).toBe(sha256(payload));
    await session.put(Readable.from([Buffer.from('+tail')]), 'b.bin', { append: true });
    expect(statSync(path.join(server.root, 'work', 'b.bin')).size).toBe(payload.length + 5);
    await session.rename('b.bin', 'c.bin');
    expect(existsSync(path.join(server.root, 'work', 'c.bin'))).toBe(true);
    await session.delete('c.bin');
    await session.delete('a.bin');
    await session.cwd(home);
    await session.rmdir('work');
    expect(existsSync(path.join(server.root, 'work'))).toBe(false);
    const info = session.tlsInfo();
    if (overrides.tls?.encryptDataChannel !== false && server.kind !== 'pure-ftpd')
      expect(info?.dataConnectionsResumed).toBe(info?.dataConnections);
  } finally {
    await session.close();
  }
}

describeWithServer('vsftpd', 'vsftpd 3.0.3', () => {
  it('runs every operation, explicit AUTH TLS, PROT P with require_ssl_reuse=YES', async () => {
    const server = await started(startVsftpd({ mode: 'explicit', tls: tls() }));
    await everyOperation(server, {}, { hash: false, mlsd: false });
  });

  it('runs every operation in implicit mode', async () => {
    const server = await started(startVsftpd({ mode: 'implicit', tls: tls() }));
    await everyOperation(server, { tls: { implicit: true } }, { hash: false, mlsd: false });
  });

  it('refuses PROT C transfers with force_local_data_ssl (a clear error, not a silent fallback)', async () => {
    const server = await started(startVsftpd({ mode: 'explicit', tls: tls() }));
    const session = await open(server, { tls: { encryptDataChannel: false } });
    await expect(session.list()).rejects.toMatchObject({ code: 'FTPSCTL_ERR_COMMAND_FAILED', reply: { code: 522 } });
    await session.close();
  });

  it('does not implement CCC (500): a clear error, and the session stays encrypted', async () => {
    const server = await started(startVsftpd({ mode: 'explicit', tls: tls() }));
    await expect(open(server, { tls: { clearCommandChannel: true } })).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_CCC_REFUSED',
      reply: { code: 500 },
    });
    const session = await open(server);
    await expect(session.clearCommandChannel()).rejects.toMatchObject({ code: 'FTPSCTL_ERR_CCC_REFUSED' });
    expect(session.tlsInfo()?.clearCommandChannel).toBe(false);
    expect((await session.list()).length).toBe(0);
    await session.close();
  });

  it('requires a client certificate: missing -> FTPSCTL_ERR_CERT_REQUIRED; given (encrypted key) -> logged in', async () => {
    const server = await started(startVsftpd({ mode: 'explicit', tls: tls(), clientCertificate: 'required' }));
    await expect(open(server)).rejects.toMatchObject({ code: 'FTPSCTL_ERR_CERT_REQUIRED' });
    const session = await open(
      server,
      {
        tls: {
          pki: {
            clientCertificate: {
              certFile: pki.client.certFile,
              keyFile: pki.client.encryptedKeyFile,
              passphrase: { env: 'X' },
            },
          },
        },
      },
      pki.client.passphrase,
    );
    expect((await session.list()).length).toBe(0);
    await session.close();
  });

  it('fails each certificate case with its own code before login', async () => {
    const cases: Array<
      [keyof TestPki & ('expired' | 'wrongHost' | 'selfSigned' | 'untrusted' | 'revoked'), string, ProfileOverrides]
    > = [
      ['expired', 'FTPSCTL_ERR_CERT_EXPIRED', {}],
      ['wrongHost', 'FTPSCTL_ERR_CERT_HOSTNAME', {}],
      ['selfSigned', 'FTPSCTL_ERR_CERT_UNTRUSTED', {}],
      ['untrusted', 'FTPSCTL_ERR_CERT_UNTRUSTED', {}],
      ['revoked', 'FTPSCTL_ERR_CERT_REVOKED', { tls: { pki: { revocation: 'crl', crlFiles: [pki.crlFile] } } }],
    ];
    for (const [which, code, overrides] of cases) {
      const server = await started(
        startVsftpd({ mode: 'explicit', tls: { certFile: pki[which].certFile, keyFile: pki[which].keyFile } }),
      );
      await expect(open(server, overrides)).rejects.toMatchObject({ code });
      await server.stop();
    }
    const server = await started(startVsftpd({ mode: 'explicit', tls: tls() }));
    await expect(open(server, { tls: { pki: { pinnedSha256: [pki.expired.sha256] } } })).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_PIN_MISMATCH',
    });
  });
});

describeWithServer('proftpd', 'proftpd 1.3.8 with mod_tls', () => {
  it('runs every operation, explicit, PROT P, with MLSD and HASH verification', async () => {
    const server = await started(startProftpd({ tlsRequired: 'on', tls: tls() }));
    await everyOperation(server, {}, { hash: true, mlsd: true });
  });

  it('runs every operation in implicit mode', async () => {
    const server = await started(startProftpd({ mode: 'implicit', tlsRequired: 'on', tls: tls() }));
    await everyOperation(server, { tls: { implicit: true } }, { hash: true, mlsd: true });
  });

  it('refuses PROT C with TLSRequired on (534) before any transfer', async () => {
    const server = await started(startProftpd({ tlsRequired: 'on', tls: tls() }));
    await expect(open(server, { tls: { encryptDataChannel: false } })).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_COMMAND_FAILED',
      reply: { code: 534 },
    });
  });

  it('refuses CCC with TLSRequired on (534): clear error, session stays encrypted and usable', async () => {
    const server = await started(startProftpd({ tlsRequired: 'on', tls: tls() }));
    const session = await open(server);
    await expect(session.clearCommandChannel()).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_CCC_REFUSED',
      reply: { code: 534 },
    });
    expect((await session.list()).length).toBe(0);
    await session.close();
  });

  it('accepts CCC with TLSRequired auth+data: commands go on in clear, data stays PROT P', async () => {
    const server = await started(startProftpd({ tlsRequired: 'auth+data', tls: tls() }));
    writeFileSync(path.join(server.root, 'ccc.txt'), 'after CCC');
    const session = await open(server, { tls: { clearCommandChannel: true } });
    expect(session.tlsInfo()).toMatchObject({ clearCommandChannel: true, protection: 'P' });
    const chunks: Buffer[] = [];
    await session.get('ccc.txt', new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }));
    expect(Buffer.concat(chunks).toString()).toBe('after CCC');
    await session.put(Readable.from([Buffer.from('up after CCC')]), 'ccc-up.txt');
    expect(readFileSync(path.join(server.root, 'ccc-up.txt'), 'utf8')).toBe('up after CCC');
    expect(typeof (await session.pwd())).toBe('string');
    await session.close();
  });

  it('requires a client certificate: missing -> FTPSCTL_ERR_CERT_REQUIRED; given -> logged in', async () => {
    const server = await started(startProftpd({ tlsRequired: 'on', tls: tls(), clientCertificate: 'required' }));
    await expect(open(server)).rejects.toMatchObject({ code: 'FTPSCTL_ERR_CERT_REQUIRED' });
    const session = await open(server, {
      tls: { pki: { clientCertificate: { certFile: pki.client.certFile, keyFile: pki.client.keyFile } } },
    });
    expect((await session.list()).length).toBe(0);
    await session.close();
  });
});

describeWithServer('pure-ftpd', 'pure-ftpd 1.0.50', () => {
  it('runs every operation with PROT P (-Y 2)', async () => {
    const server = await started(startPureFtpd({ tlsLevel: 2, tls: tls() }));
    await everyOperation(server, {}, { hash: false, mlsd: true });
  });

  it('runs every operation with PROT C (-Y 2 allows it)', async () => {
    const server = await started(startPureFtpd({ tlsLevel: 2, tls: tls() }));
    await everyOperation(server, { tls: { encryptDataChannel: false } }, { hash: false, mlsd: true });
  });

  it('refuses clear transfers at -Y 3', async () => {
    const server = await started(startPureFtpd({ tlsLevel: 3, tls: tls() }));
    const session = await open(server, { tls: { encryptDataChannel: false } }).catch((error: unknown) => error);
    if (session instanceof Error) expect(session).toMatchObject({ code: 'FTPSCTL_ERR_COMMAND_FAILED' });
    else {
      await expect((session as FtpsSession).list()).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_COMMAND_FAILED',
        reply: { code: 521 },
      });
      await (session as FtpsSession).close();
    }
  });

  it('accepts CCC, and the next commands are answered (where curl 7.88 hangs)', async () => {
    const server = await started(startPureFtpd({ tlsLevel: 2, tls: tls() }));
    writeFileSync(path.join(server.root, 'ccc.txt'), 'pure after CCC');
    const session = await open(server, { tls: { clearCommandChannel: true } });
    expect(session.tlsInfo()).toMatchObject({ clearCommandChannel: true });
    expect(typeof (await session.pwd())).toBe('string');
    const chunks: Buffer[] = [];
    await session.get('ccc.txt', new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }));
    expect(Buffer.concat(chunks).toString()).toBe('pure after CCC');
    await session.close();
  });
});

describeWithServer('pyftpdlib', 'pyftpdlib 1.5.7', () => {
  it('runs every operation, explicit AUTH TLS, PROT P (MLSD, no HASH)', async () => {
    const server = await started(startPyftpdlib({ tls: tls() }));
    await everyOperation(server, {}, { hash: false, mlsd: true });
  });

  it('MLST advertised, MLSD refused (500): lists with LIST for the rest of the session', async () => {
    const server = await started(startPyftpdlib({ tls: tls(), refuseMlsd: true }));
    writeFileSync(path.join(server.root, 'x.txt'), 'x');
    const session = await open(server);
    try {
      expect(session.features.has('MLST')).toBe(true);
      const first = await session.listing();
      expect(first.command).toBe('LIST');
      expect(first.entries.map((e) => e.name)).toEqual(['x.txt']);
      expect((await session.listing()).command).toBe('LIST');
    } finally {
      await session.close();
    }
  });

  it('FEAT without UTF8, network.encoding latin1: an ISO-8859-1 name reads as text and is fetched back', async () => {
    const server = await started(startPyftpdlib({ tls: tls(), advertiseUtf8: false }));
    writeFileSync(
      Buffer.concat([Buffer.from(`${server.root}/`), Buffer.from('caf\u00e9.txt', 'latin1')]),
      'latin1 name',
    );
    const session = await open(server, { network: { encoding: 'latin1' } });
    try {
      expect(session.features.has('UTF8')).toBe(false);
      const [entry] = await session.list();
      expect(entry.name).toBe('caf\u00e9.txt');
      const chunks: Buffer[] = [];
      await session.get(
        entry.name,
        new Writable({
          write: (chunk: Buffer, _e, done) => {
            chunks.push(chunk);
            done();
          },
        }),
      );
      expect(Buffer.concat(chunks).toString()).toBe('latin1 name');
    } finally {
      await session.close();
    }
  });
});

/** Issue 11 on every server: the names of the field, listed (MLSD or LIST) and fetched back byte for byte. */
const NAMES: Buffer[] = [
  Buffer.from(' leading.txt'),
  Buffer.from('trailing.txt  '),
  Buffer.from('two  spaces.txt'),
  Buffer.from('caf\u00e9.txt', 'latin1'),
  Buffer.from('données.txt'),
];
const startFor: Record<RealServerKind, () => Promise<RealServer>> = {
  vsftpd: () => startVsftpd({ mode: 'explicit', tls: tls() }),
  proftpd: () => startProftpd({ tlsRequired: 'on', tls: tls() }),
  'pure-ftpd': () => startPureFtpd({ tlsLevel: 2, tls: tls() }),
  pyftpdlib: () => startPyftpdlib({ tls: tls() }),
};

for (const kind of Object.keys(startFor) as RealServerKind[]) {
  describeWithServer(kind, `${kind}: names keep every byte (issue 11)`, () => {
    it('lists names with leading, trailing and inner spaces and a non-UTF-8 byte, and fetches each back', async () => {
      const server = await started(startFor[kind]());
      const { uid, gid } = statSync(server.root);
      for (const name of NAMES) {
        const file = Buffer.concat([Buffer.from(`${server.root}/`), name]);
        writeFileSync(file, `content of ${name.toString('hex')}`);
        chownSync(file, uid, gid);
      }
      const session = await open(server);
      try {
        const listing = await session.listing();
        expect(listing.unparsed).toEqual([]);
        const names = listing.entries.map((e) => e.name).sort();
        // The ISO-8859-1 byte 0xE9 is not UTF-8: it is kept as U+DCE9 and goes back out as 0xE9.
        expect(names).toEqual(
          [' leading.txt', 'caf\udce9.txt', 'données.txt', 'trailing.txt  ', 'two  spaces.txt'].sort(),
        );
        for (const entry of listing.entries) {
          const chunks: Buffer[] = [];
          await session.get(
            entry.name,
            new Writable({
              write: (chunk: Buffer, _e, done) => {
                chunks.push(chunk);
                done();
              },
            }),
          );
          const original = NAMES.find(
            (n) => n.toString('hex') === Buffer.concat(chunks).toString().replace('content of ', ''),
          );
          expect(original).toBeDefined();
        }
      } finally {
        await session.close();
      }
    });
  });
}
