import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestPki, type TestPki } from '../pki';
import { FtpsTestClient } from './ftps-test-client';
import { startEmbeddedServer, type EmbeddedServer, type EmbeddedServerOptions } from './index';

const execFileAsync = promisify(execFile);
const CURL = '/usr/bin/curl';
const USER = 'alice';
const PASSWORD = 'secret-Pa55';
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('embedded FTPS server', () => {
  let base: string;
  let root: string;
  let pki: TestPki;
  const running: EmbeddedServer[] = [];
  const clients: FtpsTestClient[] = [];

  async function start(overrides: Partial<EmbeddedServerOptions> = {}): Promise<EmbeddedServer> {
    const server = await startEmbeddedServer({
      root,
      users: [{ user: USER, password: PASSWORD }],
      pki: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca },
      dataTimeoutMs: 3000,
      ...overrides,
    });
    running.push(server);
    return server;
  }

  async function connect(server: EmbeddedServer, options: { implicit?: boolean } = {}): Promise<FtpsTestClient> {
    const { client, greeting } = await FtpsTestClient.connect(server.port, { ca: pki.ca, ...options });
    clients.push(client);
    expect(greeting.code).toBe(220);
    return client;
  }

  async function loggedIn(server: EmbeddedServer): Promise<FtpsTestClient> {
    const client = await connect(server);
    await client.loginPrivate(USER, PASSWORD);
    return client;
  }

  beforeAll(async () => {
    base = mkdtempSync(path.join(os.tmpdir(), 'ftpsctl-embedded-'));
    pki = await createTestPki(path.join(base, 'pki'));
    root = path.join(base, 'root');
    mkdirSync(path.join(root, 'docs'), { recursive: true });
    writeFileSync(path.join(root, 'hello.txt'), 'hello, world\n');
    writeFileSync(path.join(root, 'docs', 'readme.md'), '# readme\n');
    writeFileSync(path.join(base, 'outside.txt'), 'must stay unreachable\n');
    symlinkSync(path.join(base, 'outside.txt'), path.join(root, 'link-out'));
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  afterAll(async () => {
    await Promise.all(running.map((server) => server.stop()));
    rmSync(base, { recursive: true, force: true });
  });

  describe('control connection', () => {
    let server: EmbeddedServer;
    beforeAll(async () => {
      server = await start();
    });

    it('announces its features in a multi-line FEAT reply, SHA-256 selected', async () => {
      const client = await connect(server);
      const feat = await client.send('FEAT');
      expect(feat.code).toBe(211);
      expect(feat.lines[0]).toBe('211-Features:');
      expect(feat.lines[feat.lines.length - 1]).toBe('211 End');
      const features = feat.lines.slice(1, -1).map((line) => line.trim());
      expect(features).toEqual(
        expect.arrayContaining([
          'AUTH TLS',
          'PBSZ',
          'PROT',
          'EPSV',
          'PASV',
          'MLST type*;size*;modify*;',
          'MLSD',
          'SIZE',
          'MDTM',
          'REST STREAM',
          'UTF8',
          'HASH SHA-256*;SHA-1',
        ]),
      );
      expect(features).not.toContain('CCC');
      for (const line of feat.lines.slice(1, -1)) expect(line.startsWith(' ')).toBe(true);
    });

    it('refuses USER before AUTH TLS and wrong passwords', async () => {
      const client = await connect(server);
      expect((await client.send(`USER ${USER}`)).code).toBe(530);
      expect((await client.send('PBSZ 0')).code).toBe(503);
      expect((await client.authTls()).code).toBe(234);
      expect((await client.send('PROT P')).code).toBe(503); // PBSZ first
      expect((await client.send(`USER ${USER}`)).code).toBe(331);
      expect((await client.send('PASS wrong')).code).toBe(530);
      expect((await client.send('PWD')).code).toBe(530);
    });

    it('refuses CR or LF inside a command', async () => {
      const client = await loggedIn(server);
      expect((await client.sendRaw('DELE hello.txt\nDELE docs\r\n')).code).toBe(501);
      expect(existsSync(path.join(root, 'hello.txt'))).toBe(true);
    });

    it('answers directory and file commands', async () => {
      const client = await loggedIn(server);
      expect(await client.send('PWD')).toEqual({ code: 257, lines: ['257 "/" is the current directory'] });
      expect((await client.send('SYST')).lines[0]).toBe('215 UNIX Type: L8');
      expect((await client.send('OPTS UTF8 ON')).code).toBe(200);
      expect((await client.send('MODE S')).code).toBe(200);
      expect((await client.send('STRU F')).code).toBe(200);
      expect((await client.send('MKD work')).lines[0]).toBe('257 "/work" created');
      expect((await client.send('CWD work')).code).toBe(250);
      expect((await client.send('PWD')).lines[0]).toBe('257 "/work" is the current directory');
      expect((await client.send('CDUP')).code).toBe(250);
      expect((await client.send('SIZE hello.txt')).lines[0]).toBe('213 13');
      expect((await client.send('MDTM hello.txt')).lines[0]).toMatch(/^213 \d{14}$/);
      const mlst = await client.send('MLST hello.txt');
      expect(mlst.lines).toEqual([
        '250-Listing /hello.txt',
        expect.stringMatching(/^ type=file;size=13;modify=\d{14}; \/hello\.txt$/),
        '250 End',
      ]);
      const hash = await client.send('HASH hello.txt');
      expect(hash.lines[0]).toBe(`213 SHA-256 0-13 ${sha256(Buffer.from('hello, world\n'))} hello.txt`);
      expect((await client.send('OPTS HASH SHA-1')).lines[0]).toBe('200 SHA-1');
      expect((await client.send('HASH hello.txt')).lines[0]).toMatch(/^213 SHA-1 0-13 [0-9a-f]{40} hello\.txt$/);
      expect((await client.send('OPTS HASH MD5')).code).toBe(504);
      writeFileSync(path.join(root, 'work', 'old.txt'), 'x');
      expect((await client.send('RNFR work/old.txt')).code).toBe(350);
      expect((await client.send('RNTO work/new.txt')).code).toBe(250);
      expect((await client.send('DELE work/new.txt')).code).toBe(250);
      expect((await client.send('RMD work')).code).toBe(250);
      expect((await client.send('XYZZ')).code).toBe(502);
      expect((await client.send('CCC')).code).toBe(534);
      expect((await client.send('NOOP')).code).toBe(200);
    });

    it('never lets a path out of the served folder', async () => {
      const client = await loggedIn(server);
      for (const command of [
        'CWD ..',
        'CWD ../..',
        'SIZE ../outside.txt',
        'SIZE /../outside.txt',
        'SIZE docs/../../outside.txt',
        'SIZE ..\\outside.txt',
        'SIZE docs\\..\\hello.txt',
        'SIZE hello.txt\0.jpg',
        'SIZE link-out',
        'RNFR link-out',
      ]) {
        expect([command, (await client.send(command)).code]).toEqual([command, 550]);
      }
      expect((await client.send(`SIZE ${path.join(base, 'outside.txt')}`)).code).toBe(550);
      const escape = await client.transfer('RETR ../outside.txt', { protect: true });
      expect(escape.preliminary.code).toBe(550);
      expect((await client.send('PWD')).lines[0]).toBe('257 "/" is the current directory');
    });

    it('counts connections and records commands with the password masked', async () => {
      const client = await loggedIn(server);
      await client.quit();
      expect(server.connections).toBeGreaterThanOrEqual(1);
      expect(server.commands).toContain(`USER ${USER}`);
      expect(server.commands).toContain('PASS ****');
      expect(server.commands.join('\n')).not.toContain(PASSWORD);
    });
  });

  describe('data connections', () => {
    let server: EmbeddedServer;
    beforeAll(async () => {
      server = await start();
    });

    it('downloads and lists over PROT P, resuming the control session', async () => {
      const client = await loggedIn(server);
      const retr = await client.transfer('RETR hello.txt', { protect: true });
      expect([retr.preliminary.code, retr.final?.code, retr.data.toString()]).toEqual([150, 226, 'hello, world\n']);
      const list = await client.transfer('LIST', { protect: true });
      expect(list.final?.code).toBe(226);
      expect(list.data.toString()).toMatch(
        /^drwx[-rwx]{6} +2 ftp +ftp +\d+ \w{3} [ \d]\d (\d\d:\d\d| \d{4}) docs\r\n-rw[-rwx]{7} +1 ftp +ftp +13 \w{3} [ \d]\d (\d\d:\d\d| \d{4}) hello\.txt\r\n/m,
      );
      expect(list.data.toString()).not.toContain('link-out'); // leads outside: not even listed
      const nlst = await client.transfer('NLST docs', { protect: true });
      expect(nlst.data.toString()).toBe('readme.md\r\n');
      const mlsd = await client.transfer('MLSD', { protect: true });
      expect(mlsd.data.toString()).toMatch(/^type=dir;size=\d+;modify=\d{14}; docs\r\n/);
      expect(mlsd.data.toString()).toMatch(/type=file;size=13;modify=\d{14}; hello\.txt\r\n/);
    });

    it('uploads, appends and restarts, 1 MiB round trip with equal SHA-256', async () => {
      const client = await loggedIn(server);
      const payload = randomBytes(1024 * 1024);
      const stor = await client.transfer('STOR upload.bin', { protect: true, upload: payload });
      expect([stor.preliminary.code, stor.final?.code]).toEqual([150, 226]);
      expect(sha256(readFileSync(path.join(root, 'upload.bin')))).toBe(sha256(payload));
      const retr = await client.transfer('RETR upload.bin', { protect: true });
      expect(sha256(retr.data)).toBe(sha256(payload));
      expect((await client.send('HASH upload.bin')).lines[0]).toBe(
        `213 SHA-256 0-${payload.length} ${sha256(payload)} upload.bin`,
      );

      const rest = await client.transfer('RETR upload.bin', { protect: true, restartAt: 1000 });
      expect(rest.data.equals(payload.subarray(1000))).toBe(true);
      const appe = await client.transfer('APPE upload.bin', { protect: true, upload: Buffer.from('tail') });
      expect(appe.final?.code).toBe(226);
      expect(readFileSync(path.join(root, 'upload.bin')).subarray(-4).toString()).toBe('tail');
      expect((await client.send('DELE upload.bin')).code).toBe(250);
    });

    it('refuses a PROT P data connection that does not resume the session (522)', async () => {
      const client = await loggedIn(server);
      const fresh = await client.transfer('RETR hello.txt', { protect: true, resume: false });
      expect(fresh.preliminary.code).toBe(150);
      expect(fresh.final?.code).toBe(522);
      expect(fresh.data.length).toBe(0);
      const resumed = await client.transfer('RETR hello.txt', { protect: true });
      expect(resumed.final?.code).toBe(226);
    });

    it('resumes TLS 1.2 sessions too', async () => {
      const tls12 = await start({ maxVersion: 'TLSv1.2' });
      const client = await loggedIn(tls12);
      expect(client.tlsSocket?.getProtocol()).toBe('TLSv1.2');
      const retr = await client.transfer('RETR hello.txt', { protect: true });
      expect([retr.final?.code, retr.data.toString()]).toEqual([226, 'hello, world\n']);
    });

    it('accepts fresh data sessions when reuse is not required', async () => {
      const lenient = await start({ requireSessionReuse: false });
      const client = await loggedIn(lenient);
      const fresh = await client.transfer('RETR hello.txt', { protect: true, resume: false });
      expect(fresh.final?.code).toBe(226);
    });

    it('allows PROT C by default and refuses it when PROT P is required', async () => {
      const client = await loggedIn(server);
      expect((await client.send('PROT C')).code).toBe(200);
      const clear = await client.transfer('RETR hello.txt', { protect: false });
      expect([clear.final?.code, clear.data.toString()]).toEqual([226, 'hello, world\n']);

      const strict = await start({ requireProtP: true });
      const strictClient = await connect(strict);
      await strictClient.authTls();
      await strictClient.send(`USER ${USER}`);
      await strictClient.send(`PASS ${PASSWORD}`);
      const refused = await strictClient.transfer('RETR hello.txt', { protect: false });
      expect(refused.preliminary.code).toBe(521);
      expect((await strictClient.send('PBSZ 0')).code).toBe(200);
      expect((await strictClient.send('PROT C')).code).toBe(534);
    });

    it('announces the configured PASV address and answers 425 without PASV', async () => {
      const natted = await start({ pasvAddress: '192.0.2.10' });
      const client = await loggedIn(natted);
      expect((await client.send('PASV')).lines[0]).toMatch(/^227 Entering Passive Mode \(192,0,2,10,\d+,\d+\)$/);
      expect((await client.send('ABOR')).code).toBe(225);
      expect((await client.send('RETR hello.txt')).code).toBe(425);
    });
  });

  describe('other modes', () => {
    it('speaks implicit FTPS', async () => {
      const implicit = await start({ implicit: true });
      expect(implicit.url).toBe(`ftps://127.0.0.1:${implicit.port}`);
      const client = await connect(implicit, { implicit: true });
      expect((await client.send(`USER ${USER}`)).code).toBe(331);
      expect((await client.send(`PASS ${PASSWORD}`)).code).toBe(230);
      expect((await client.send('AUTH TLS')).code).toBe(503);
      await client.send('PBSZ 0');
      await client.send('PROT P');
      const retr = await client.transfer('RETR hello.txt', { protect: true });
      expect(retr.data.toString()).toBe('hello, world\n');
    });

    it('requires a client certificate from the CA when asked to', async () => {
      const mutual = await start({ requestClientCert: true });
      const { client } = await FtpsTestClient.connect(mutual.port, { ca: pki.ca });
      clients.push(client);
      await client.authTls({ cert: pki.client.cert, key: pki.client.key });
      await client.send(`USER ${USER}`);
      expect((await client.send(`PASS ${PASSWORD}`)).code).toBe(230);

      const { client: anonymous } = await FtpsTestClient.connect(mutual.port, { ca: pki.ca });
      clients.push(anonymous);
      const refused = anonymous.authTls().then(() => anonymous.send('NOOP'));
      await expect(refused).rejects.toThrow();

      // A certificate the CA did not issue is refused too (TLS 1.3: the client learns it on its next read).
      const { client: stranger } = await FtpsTestClient.connect(mutual.port, { ca: pki.ca });
      clients.push(stranger);
      const strangerOutcome = await stranger
        .authTls({ cert: pki.untrusted.cert, key: pki.untrusted.key })
        .then(() =>
          Promise.race([
            stranger.send('NOOP').then((reply) => reply.code),
            new Promise((resolve) => setTimeout(() => resolve('closed'), 1000)),
          ]),
        )
        .catch(() => 'closed');
      expect(strangerOutcome).toBe('closed');
    });

    it('stops with connections open', async () => {
      const server = await start();
      const client = await loggedIn(server);
      await server.stop();
      await expect(client.send('NOOP')).rejects.toThrow('control connection closed');
    });
  });

  const withCurl = existsSync(CURL) ? describe : describe.skip;
  withCurl('with curl', () => {
    let server: EmbeddedServer;
    const curl = async (...args: string[]): Promise<string> => {
      const { stdout } = await execFileAsync(
        CURL,
        ['--silent', '--show-error', '--max-time', '20', '--cacert', pki.caFile, '-u', `${USER}:${PASSWORD}`, ...args],
        {
          encoding: 'buffer',
          maxBuffer: 8 * 1024 * 1024,
        },
      );
      return stdout.toString('latin1');
    };
    beforeAll(async () => {
      server = await start({ allowCcc: true });
    });

    it('gets, lists and puts with session reuse required', async () => {
      expect(await curl('--ssl-reqd', '--ftp-pasv', `${server.url}/hello.txt`)).toBe('hello, world\n');
      expect(await curl('--ssl-reqd', `${server.url}/`)).toMatch(/ hello\.txt\r?\n/); // curl turns CRLF into LF in ASCII mode
      expect(await curl('--ssl-reqd', '--list-only', `${server.url}/docs/`)).toMatch(/^readme\.md\r?\n$/);
      const local = path.join(base, 'curl-up.txt');
      writeFileSync(local, 'from curl\n');
      await curl('--ssl-reqd', '-T', local, `${server.url}/curl-up.txt`);
      expect(readFileSync(path.join(root, 'curl-up.txt'), 'utf8')).toBe('from curl\n');
    });

    it('round-trips 1 MiB with equal SHA-256', async () => {
      const payload = randomBytes(1024 * 1024);
      const local = path.join(base, 'curl-big.bin');
      writeFileSync(local, payload);
      await curl('--ssl-reqd', '-T', local, `${server.url}/curl-big.bin`);
      const back = path.join(base, 'curl-big-back.bin');
      await curl('--ssl-reqd', '-o', back, `${server.url}/curl-big.bin`);
      expect(sha256(readFileSync(back))).toBe(sha256(payload));
    });

    it('clears the control channel with CCC (active shutdown)', async () => {
      expect(await curl('--ssl-reqd', '--ftp-ssl-ccc', '--ftp-ssl-ccc-mode', 'active', `${server.url}/hello.txt`)).toBe(
        'hello, world\n',
      );
      expect(server.commands).toContain('CCC');
    });

    it('speaks implicit FTPS with ftps://', async () => {
      const implicit = await start({ implicit: true });
      expect(await curl(`${implicit.url}/hello.txt`)).toBe('hello, world\n');
    });

    it('refuses a path outside the root', async () => {
      await expect(curl('--ssl-reqd', `${server.url}/../outside.txt`)).rejects.toThrow();
      await expect(curl('--ssl-reqd', `${server.url}/link-out`)).rejects.toThrow();
    });
  });
});
