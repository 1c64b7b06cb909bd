/** The hostile server with an empty script: a small well-behaved FTPS server that records everything. */

import { DEFAULT_DOWNLOAD, DEFAULT_LISTING, splitReplies, startHostileServer, type HostileServer } from '.';
import { loginOverTls } from './test-support/ftps-login';
import { openDataConnection } from './test-support/raw-data-client';
import { passivePort, RawControlClient } from './test-support/raw-control-client';
import { createTemporaryPki, type TemporaryPki } from './test-support/test-certificates';

let temporaryPki: TemporaryPki;
beforeAll(async () => {
  temporaryPki = await createTemporaryPki();
});
afterAll(() => temporaryPki?.remove());

describe('a well-behaved session with explicit TLS', () => {
  let server: HostileServer;
  beforeEach(async () => {
    server = await startHostileServer({}, { pki: temporaryPki.pki.server });
  });
  afterEach(() => server.stop());

  it('listens on 127.0.0.1 and records what arrived in clear and what arrived inside TLS', async () => {
    const { pki } = temporaryPki;
    expect(server.host).toBe('127.0.0.1');
    const client = await loginOverTls(server.port, pki);
    expect(await client.command('QUIT')).toMatch(/^221 /);
    await client.closed();
    await server.connectionClosed(1);

    expect(server.commands()).toEqual(['AUTH', 'PBSZ', 'PROT', 'USER', 'PASS', 'QUIT']);
    expect(server.received()).toEqual([
      { connection: 1, tlsUp: false, text: 'AUTH TLS\r\n' },
      { connection: 1, tlsUp: true, text: 'PBSZ 0\r\nPROT P\r\nUSER alice\r\nPASS secret\r\nQUIT\r\n' },
    ]);
    expect(server.handshakes()).toEqual([
      expect.objectContaining({
        connection: 1,
        channel: 'control',
        secure: true,
        resumed: false,
        servername: 'localhost',
      }),
    ]);
    expect(server.connections).toBe(1);
    expect(server.scriptProblems()).toEqual([]);
  });

  it('serves RETR over a PROT P data connection that resumes the control session, and LIST', async () => {
    const { pki } = temporaryPki;
    const client = await loginOverTls(server.port, pki);
    const session = client.tlsSocket?.getSession();
    const download = await openDataConnection(passivePort(await client.command('EPSV')), {
      ca: pki.ca,
      servername: 'localhost',
      session,
    });
    expect(await client.command('RETR payload.bin')).toMatch(/^150 /);
    expect(await client.nextReply()).toMatch(/^226 /);
    expect((await download.received).equals(DEFAULT_DOWNLOAD)).toBe(true);

    const listing = await openDataConnection(passivePort(await client.command('PASV')), {
      ca: pki.ca,
      servername: 'localhost',
      session,
    });
    expect(await client.command('LIST')).toMatch(/^150 /);
    expect(await client.nextReply()).toMatch(/^226 /);
    expect((await listing.received).toString()).toBe(DEFAULT_LISTING);
    client.close();

    expect(server.dataConnections).toBe(2);
    expect(server.handshakes().filter((handshake) => handshake.channel === 'data')).toEqual([
      expect.objectContaining({ connection: 1, dataConnection: 1, secure: true, resumed: true }),
      expect.objectContaining({ connection: 1, dataConnection: 2, secure: true, resumed: true }),
    ]);
  });

  it('records the bytes of a STOR, decrypted, per data connection', async () => {
    const { pki } = temporaryPki;
    const client = await loginOverTls(server.port, pki);
    const upload = await openDataConnection(passivePort(await client.command('EPSV')), {
      ca: pki.ca,
      servername: 'localhost',
      session: client.tlsSocket?.getSession(),
    });
    client.send('STOR upload.txt');
    expect(await client.nextReply()).toMatch(/^150 /);
    upload.socket.end('uploaded bytes');
    expect(await client.nextReply()).toMatch(/^226 /);
    client.close();
    expect(server.dataReceived()).toEqual([
      { connection: 1, dataConnection: 1, tlsUp: true, bytes: Buffer.from('uploaded bytes') },
    ]);
  });

  it('refuses a data connection without session reuse when the script requires it', async () => {
    await server.stop();
    const { pki } = temporaryPki;
    server = await startHostileServer({ requireSessionReuse: true }, { pki: pki.server });
    const client = await loginOverTls(server.port, pki);
    const download = await openDataConnection(passivePort(await client.command('EPSV')), {
      ca: pki.ca,
      servername: 'localhost',
    });
    expect(await client.command('RETR payload.bin')).toMatch(/^522 .*session reuse required/);
    await download.received;
    client.close();
    expect(server.handshakes().find((handshake) => handshake.channel === 'data')).toEqual(
      expect.objectContaining({ secure: true, resumed: false }),
    );
  });

  it('answers FEAT and unknown verbs, and counts each control connection', async () => {
    const first = await RawControlClient.connect(server.port);
    expect(await first.nextReply()).toBe('220 ftpsctl hostile test server\r\n');
    expect(await first.command('FEAT')).toBe(
      '211-Features:\r\n AUTH TLS\r\n PBSZ\r\n PROT\r\n EPSV\r\n PASV\r\n SIZE\r\n UTF8\r\n211 End\r\n',
    );
    expect(await first.command('XYZZY')).toMatch(/^502 /);
    const second = await RawControlClient.connect(server.port);
    await second.nextReply();
    second.close();
    first.close();
    await server.connectionClosed(2);
    expect(server.connections).toBe(2);
  });
});

describe('implicit TLS', () => {
  it('handshakes first, then greets, and records everything as inside TLS', async () => {
    const { pki } = temporaryPki;
    const server = await startHostileServer({}, { pki: pki.server, implicit: true });
    try {
      const client = await RawControlClient.connect(server.port, { ca: pki.ca, servername: 'localhost' });
      expect(await client.nextReply()).toMatch(/^220 /);
      expect(await client.command('AUTH TLS')).toMatch(/^503 /);
      expect(await client.command('USER alice')).toMatch(/^331 /);
      client.close();
      await server.connectionClosed(1);
      expect(server.received()).toEqual([{ connection: 1, tlsUp: true, text: 'AUTH TLS\r\nUSER alice\r\n' }]);
    } finally {
      await server.stop();
    }
  });

  it('refuses to start without a certificate', async () => {
    await expect(startHostileServer({}, { implicit: true })).rejects.toThrow(/needs options.pki/);
  });
});

describe('stop()', () => {
  it('ends a byte-by-byte reply half-way, destroys control and data sockets, and closes the listeners', async () => {
    const server = await startHostileServer(splitReplies(50));
    const control = await RawControlClient.connect(server.port);
    await control.until(() => (control.byteCount() > 0 ? true : undefined));
    await server.stop();
    await control.closed();
    expect(control.text().length).toBeLessThan('220 ftpsctl hostile test server\r\n'.length);
    await expect(RawControlClient.connect(server.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(server.connectionClosed(7)).resolves.toBeUndefined();
  });
});
