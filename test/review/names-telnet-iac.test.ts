/**
 * Review (names between servers, file systems and the terminal): the byte 0xFF in a name,
 * against the real servers. The control connection is Telnet (RFC 959 §4.1, RFC 854): 0xFF is
 * IAC, sent doubled (IAC IAC) for a data byte 0xFF; IAC WILL/WONT/DO/DONT (FF FB..FE) is an
 * option negotiation. The engine sends names' bytes as they are and reads replies as they
 * are, so README's "every name is fetched back byte for byte" fails where a server speaks
 * Telnet. 0xFF is `ÿ` in ISO-8859-1/windows-1252 and `Ъ` in KOI8-R, a byte such servers list
 * (names that are not UTF-8 are listed raw by every server here):
 *
 * - proftpd reads `IAC IAC` in a command as one 0xFF: for `b\xff\xff.t` it serves, and DELE
 *   deletes, `b\xff.t`, another file, and the engine reports success (the audit event names
 *   the file that is still there).
 * - proftpd answers a name holding `FF FB 41` (IAC WILL 'A') with IAC DONT 'A' before its
 *   reply: the engine takes that for a malformed reply and the session is broken, so one
 *   listed name ends a mirror's connection.
 * - vsftpd doubles 0xFF in its replies (IAC IAC): in a folder `z\xffz`, pwd() returns
 *   `/z\xff\xffz`, a folder that does not exist (CWD to it: 550).
 *
 * vsftpd and pure-ftpd take `FF FF` in a command as two bytes (measured), so "always double
 * IAC" fixes proftpd and breaks them: the behaviour is the server's.
 *
 * Fixed by refusing: a command holding 0xFF is never sent (FTPSCTL_ERR_USAGE, before any byte
 * goes out), so no server reads it as another name, no negotiation starts, and the session goes
 * on. Such names are still listed; they can be reached after a rename on the server.
 */
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startProftpd, startVsftpd, type RealServer } from '../../packages/testbed/src/real-servers';
import { describeWithServer } from '../../packages/testbed/src/real-servers/describe-with-server';
import { openSession, type FtpsSession } from '../../src/engine';
import { engineSettingsFor } from '../helpers/engine-settings';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-names-iac-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tls = () => ({
  certFile: pki.server.certFile,
  keyFile: pki.server.keyFile,
  bundleFile: pki.serverBundleFile,
  caFile: pki.caFile,
});

/** The server's path of a name given as bytes. */
const onServer = (server: RealServer, name: Buffer): Buffer => Buffer.concat([Buffer.from(`${server.root}/`), name]);

function putOnServer(server: RealServer, name: Buffer, content: string): void {
  const { uid, gid } = statSync(server.root);
  const file = onServer(server, name);
  writeFileSync(file, content);
  chownSync(file, uid, gid);
}

async function fetch(session: FtpsSession, name: string): Promise<string> {
  const chunks: Buffer[] = [];
  await session.get(
    name,
    new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        chunks.push(chunk);
        done();
      },
    }),
  );
  return Buffer.concat(chunks).toString();
}

async function withSession<T>(server: RealServer, run: (session: FtpsSession) => Promise<T>): Promise<T> {
  const session = await openSession(engineSettingsFor(server.port, pki.caFile, { user: server.user }), {
    password: server.password,
  });
  try {
    return await run(session);
  } finally {
    await session.close();
  }
}

// Same length, so a size check can't tell them apart.
const ONE_FF = Buffer.from([0x62, 0xff, 0x2e, 0x74]); // b\xff.t
const TWO_FF = Buffer.from([0x62, 0xff, 0xff, 0x2e, 0x74]); // b\xff\xff.t

describeWithServer('proftpd', 'proftpd: names holding the byte 0xFF (Telnet IAC)', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startProftpd({ tlsRequired: 'on', tls: tls() });
  });
  afterAll(() => server?.stop());

  // Fixed by refusing: no command holding 0xFF is sent (control-connection.ts), so no server can
  // read it as another name; the listing still shows the names, and the session goes on.
  it('get of the listed name b\\xff\\xff.t is refused before sending, never the other file; the session goes on', async () => {
    putOnServer(server, ONE_FF, 'one 0xFF, the other file');
    putOnServer(server, TWO_FF, 'two 0xFF, the asked file');
    putOnServer(server, Buffer.from('after.txt'), 'after');
    await withSession(server, async (session) => {
      const names = (await session.list()).map((e) => e.name);
      expect(names).toEqual(expect.arrayContaining(['b\udcff.t', 'b\udcff\udcff.t']));
      const got = await fetch(session, 'b\udcff\udcff.t').catch((error: { code?: string; message: string }) => error);
      expect(got).toMatchObject({ code: 'FTPSCTL_ERR_USAGE', message: expect.stringContaining('0xFF (Telnet IAC)') });
      expect(await fetch(session, 'after.txt')).toBe('after');
    });
  });

  it('delete of the listed name b\\xff\\xff.t is refused and deletes nothing', async () => {
    putOnServer(server, ONE_FF, 'one 0xFF, the other file');
    putOnServer(server, TWO_FF, 'two 0xFF, the asked file');
    const error = await withSession(server, (session) => session.delete('b\udcff\udcff.t')).catch(
      (e: { code?: string }) => e,
    );
    expect(error).toMatchObject({ code: 'FTPSCTL_ERR_USAGE' });
    expect({ asked: existsSync(onServer(server, TWO_FF)), other: existsSync(onServer(server, ONE_FF)) }).toEqual({
      asked: true,
      other: true,
    });
  });

  it('a listed name holding FF FB (IAC WILL) is refused, and the session goes on', async () => {
    putOnServer(server, Buffer.from([0x64, 0xff, 0xfb, 0x41, 0x2e, 0x74]), 'd with IAC WILL A');
    putOnServer(server, Buffer.from('after.txt'), 'after');
    await withSession(server, async (session) => {
      expect((await session.list()).map((e) => e.name)).toContain('d\udcff\udcfbA.t');
      const first = await fetch(session, 'd\udcff\udcfbA.t').catch((error: { code?: string }) => error.code);
      const next = await fetch(session, 'after.txt').catch((error: Error) => `failed: ${error.message}`);
      expect({ first, next }).toEqual({ first: 'FTPSCTL_ERR_USAGE', next: 'after' });
    });
  });
});

describeWithServer('vsftpd', 'vsftpd: a folder holding the byte 0xFF (Telnet IAC)', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startVsftpd({ mode: 'explicit', tls: tls() });
  });
  afterAll(() => server?.stop());

  it('CWD into the listed folder z\\xffz is refused before sending; pwd() is where the session was', async () => {
    const { uid, gid } = statSync(server.root);
    const folder = onServer(server, Buffer.from([0x7a, 0xff, 0x7a]));
    mkdirSync(folder);
    chownSync(folder, uid, gid);
    await withSession(server, async (session) => {
      expect((await session.list()).map((e) => e.name)).toContain('z\udcffz');
      const entered = await session.cwd('z\udcffz').then(
        () => 'entered',
        (error: { code?: string }) => error.code,
      );
      expect({ entered, pwd: await session.pwd() }).toEqual({ entered: 'FTPSCTL_ERR_USAGE', pwd: '/' });
    });
  });
});
