/**
 * Every operation of the engine against the embedded FTPS server (MLSD, HASH, REST both ways,
 * CCC, client certificates): runs everywhere, no packages needed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { Readable, Writable } from 'node:stream';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from '../../src/loopback/server';
import { openSession, type FtpsSession } from '../../src/engine';
import { engineSettingsFor, type ProfileOverrides } from '../helpers/engine-settings';

const PASSWORD = 'embedded-test-secret-51c2';
let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-engine-embedded-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function withServer(
  options: Partial<EmbeddedServerOptions>,
  run: (server: EmbeddedServer, root: string) => Promise<void>,
): Promise<void> {
  const root = mkdtempSync(path.join(dir, 'root-'));
  const server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
    ...options,
  });
  try {
    await run(server, root);
  } finally {
    await server.stop();
  }
}

const open = (server: EmbeddedServer, overrides: ProfileOverrides = {}, passphrase?: string): Promise<FtpsSession> =>
  openSession(engineSettingsFor(server.port, pki.caFile, overrides), {
    password: PASSWORD,
    ...(passphrase ? { clientKeyPassphrase: passphrase } : {}),
  });

describe('engine vs embedded server: operations', () => {
  it('printing a session (util.inspect at any depth, JSON.stringify) never shows the password', async () => {
    await withServer({}, async (server) => {
      const session = await open(server);
      try {
        expect(inspect(session)).toContain('FtpsSession');
        expect(inspect(session, { depth: Infinity })).not.toContain(PASSWORD);
        expect(inspect(session, { depth: Infinity, customInspect: false, showHidden: true })).not.toContain(PASSWORD);
        expect(JSON.stringify(session)).not.toContain(PASSWORD);
      } finally {
        await session.close();
      }
    });
  });

  it('runs every operation over PROT P with session reuse required', async () => {
    await withServer({}, async (server, root) => {
      const session = await open(server);
      expect(await session.pwd()).toBe('/');
      await session.mkdir('inbox');
      await session.cwd('inbox');
      expect(await session.pwd()).toBe('/inbox');
      const payload = randomBytes(300_000);
      const local = path.join(dir, 'ops-up.bin');
      writeFileSync(local, payload);
      const put = await session.put(local, 'a.bin', { verify: 'hash' });
      expect(put).toMatchObject({
        bytes: payload.length,
        verifiedBy: 'hash',
        sha256: sha256(payload),
        sessionResumed: true,
      });
      expect(sha256(readFileSync(path.join(root, 'inbox', 'a.bin')))).toBe(sha256(payload));
      expect(await session.size('a.bin')).toBe(payload.length);
      expect(await session.remoteSha256('a.bin')).toBe(sha256(payload));
      expect(await session.stat('a.bin')).toMatchObject({ name: 'a.bin', type: 'file', size: payload.length });
      expect(await session.stat('missing.bin')).toBeUndefined();
      expect((await session.modifiedAt('a.bin'))?.getTime()).toBeGreaterThan(Date.now() - 60_000);
      const listing = await session.list();
      expect(listing).toEqual([expect.objectContaining({ name: 'a.bin', type: 'file', size: payload.length })]);
      const got = path.join(dir, 'ops-down.bin');
      const get = await session.get('a.bin', got, { verify: 'hash' });
      expect(get).toMatchObject({ verifiedBy: 'hash', sha256: sha256(payload) });
      expect(sha256(readFileSync(got))).toBe(sha256(payload));
      await session.rename('a.bin', 'b.bin');
      await session.put(Readable.from([Buffer.from('tail')]), 'b.bin', { append: true });
      expect(statSync(path.join(root, 'inbox', 'b.bin')).size).toBe(payload.length + 4);
      await session.delete('b.bin');
      await session.cwd('/');
      await session.rmdir('inbox');
      expect(await session.list()).toEqual([]);
      const info = session.tlsInfo();
      expect(info?.dataConnections).toBeGreaterThanOrEqual(5);
      expect(info?.dataConnectionsResumed).toBe(info?.dataConnections);
      await session.close();
    });
  });

  it('resumes a download and an upload (REST)', async () => {
    await withServer({}, async (server, root) => {
      const payload = randomBytes(200_000);
      writeFileSync(path.join(root, 'big.bin'), payload);
      const session = await open(server);
      const local = path.join(dir, 'resume-down.bin');
      writeFileSync(local, payload.subarray(0, 50_000));
      const get = await session.get('big.bin', local, { offset: 50_000, verify: 'hash' });
      expect(get).toMatchObject({ offset: 50_000, bytes: 150_000, verifiedBy: 'hash' });
      expect(sha256(readFileSync(local))).toBe(sha256(payload));
      writeFileSync(path.join(root, 'up.bin'), payload.subarray(0, 70_000));
      const upLocal = path.join(dir, 'resume-up.bin');
      writeFileSync(upLocal, payload);
      const put = await session.put(upLocal, 'up.bin', { offset: 70_000, verify: 'hash' });
      expect(put).toMatchObject({ offset: 70_000, bytes: 130_000, verifiedBy: 'hash' });
      expect(sha256(readFileSync(path.join(root, 'up.bin')))).toBe(sha256(payload));
      await session.close();
    });
  });

  it('streams to a Writable and reports progress', async () => {
    await withServer({}, async (server, root) => {
      writeFileSync(path.join(root, 'p.bin'), randomBytes(1_000_000));
      const session = await open(server);
      const seen: number[] = [];
      let received = 0;
      const sink = new Writable({ write: (chunk: Buffer, _e, cb) => ((received += chunk.length), cb()) });
      await session.get('p.bin', sink, { onProgress: (b) => seen.push(b) });
      expect(received).toBe(1_000_000);
      expect(seen[seen.length - 1]).toBe(1_000_000);
      expect(seen.length).toBeGreaterThan(1);
      await session.close();
    });
  });

  it('runs PROT C when the profile says so and the server allows it', async () => {
    await withServer({ requireSessionReuse: false }, async (server, root) => {
      mkdirSync(path.join(root, 'd'));
      const session = await open(server, { tls: { encryptDataChannel: false } });
      expect(session.tlsInfo()?.protection).toBe('C');
      expect((await session.list()).map((e) => e.name)).toEqual(['d']);
      await session.close();
    });
  });

  it('ends with FTPSCTL_ERR_COMMAND_FAILED when the server requires PROT P and the profile asks for PROT C', async () => {
    await withServer({ requireProtP: true }, async (server) => {
      await expect(open(server, { tls: { encryptDataChannel: false } })).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_COMMAND_FAILED',
        message: expect.stringContaining('set tls.encryptDataChannel to true'),
      });
    });
  });

  it('refuses a wrong password with FTPSCTL_ERR_AUTH_FAILED', async () => {
    await withServer({}, async (server) => {
      await expect(
        openSession(engineSettingsFor(server.port, pki.caFile), { password: 'wrong' }),
      ).rejects.toMatchObject({ code: 'FTPSCTL_ERR_AUTH_FAILED' });
    });
  });
});

describe('engine vs embedded server: CCC', () => {
  it('clears the command channel after login where CCC is allowed; data stays PROT P', async () => {
    await withServer({ allowCcc: true }, async (server, root) => {
      writeFileSync(path.join(root, 'x.txt'), 'after ccc');
      const session = await open(server, { tls: { clearCommandChannel: true } });
      expect(session.tlsInfo()).toMatchObject({ clearCommandChannel: true, protection: 'P' });
      const sink: Buffer[] = [];
      await session.get('x.txt', new Writable({ write: (c: Buffer, _e, cb) => (sink.push(c), cb()) }));
      expect(Buffer.concat(sink).toString()).toBe('after ccc');
      expect(await session.pwd()).toBe('/');
      await session.close();
    });
  });

  it('reports a refused CCC clearly and the session stays encrypted and usable', async () => {
    await withServer({ allowCcc: false }, async (server) => {
      await expect(open(server, { tls: { clearCommandChannel: true } })).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_CCC_REFUSED',
        message: expect.stringContaining('the control channel stays encrypted'),
      });
      const session = await open(server);
      await expect(session.clearCommandChannel()).rejects.toMatchObject({ code: 'FTPSCTL_ERR_CCC_REFUSED' });
      expect(session.tlsInfo()?.clearCommandChannel).toBe(false);
      expect(await session.pwd()).toBe('/');
      await session.close();
    });
  });
});

describe('engine vs embedded server: client certificates', () => {
  it('logs in with a client certificate whose key is encrypted', async () => {
    await withServer({ requestClientCert: true }, async (server) => {
      const session = await open(
        server,
        {
          tls: {
            pki: {
              clientCertificate: {
                certFile: pki.client.certFile,
                keyFile: pki.client.encryptedKeyFile,
                passphrase: { env: 'UNUSED' },
              },
            },
          },
        },
        pki.client.passphrase,
      );
      expect(await session.pwd()).toBe('/');
      expect((await session.list()).length).toBe(0);
      await session.close();
    });
  });

  it('fails with FTPSCTL_ERR_CERT_REQUIRED when the server requires a certificate and none is given', async () => {
    await withServer({ requestClientCert: true }, async (server) => {
      await expect(open(server)).rejects.toMatchObject({ code: 'FTPSCTL_ERR_CERT_REQUIRED' });
    });
  });
});

describe('engine vs embedded server: local files and secrets', () => {
  it('a download into a missing folder is FTPSCTL_ERR_LOCAL_FILE, not a crash, and the session goes on', async () => {
    await withServer({}, async (server, root) => {
      writeFileSync(path.join(root, 'f.txt'), 'x');
      const session = await open(server);
      await expect(session.get('f.txt', path.join(dir, 'no', 'such', 'folder', 'f.txt'))).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_LOCAL_FILE',
        message: expect.stringContaining('does not exist'),
      });
      await expect(session.put(path.join(dir, 'missing-source.bin'), 'x.bin')).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_LOCAL_FILE',
      });
      expect(await session.pwd()).toBe('/');
      await session.close();
    });
  });

  it('a resumed upload records the SHA-256 of the bytes it moved and says which (issue 11), or of the whole file when verify is hash', async () => {
    await withServer({}, async (server, root) => {
      const payload = randomBytes(100_000);
      writeFileSync(path.join(root, 'r.bin'), payload.subarray(0, 40_000));
      const local = path.join(dir, 'r-local.bin');
      writeFileSync(local, payload);
      const session = await open(server);
      const result = await session.put(local, 'r.bin', { offset: 40_000, sha256: true, verify: 'size' });
      expect(result).toMatchObject({
        offset: 40_000,
        bytes: 60_000,
        sha256: sha256(payload.subarray(40_000)),
        sha256Range: { start: 40_000, end: 100_000 },
      });
      writeFileSync(path.join(root, 'r.bin'), payload.subarray(0, 40_000));
      const verified = await session.put(local, 'r.bin', { offset: 40_000, sha256: true, verify: 'hash' });
      expect(verified).toMatchObject({ verifiedBy: 'hash', sha256: sha256(payload) });
      expect(verified.sha256Range).toBeUndefined();
      await session.close();
    });
  });

  it('a wrong client-key passphrase is a profile error found before any connection', async () => {
    await withServer({ requestClientCert: true }, async (server) => {
      const before = server.connections;
      await expect(
        open(
          server,
          {
            tls: {
              pki: {
                clientCertificate: {
                  certFile: pki.client.certFile,
                  keyFile: pki.client.encryptedKeyFile,
                  passphrase: { env: 'UNUSED' },
                },
              },
            },
          },
          'not-the-passphrase',
        ),
      ).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_PROFILE_INVALID',
        message: expect.stringContaining('does not decrypt it'),
      });
      expect(server.connections).toBe(before);
    });
  });
});
