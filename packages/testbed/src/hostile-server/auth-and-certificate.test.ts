/** refuseAuthTls and wrongCertificate: the log proves no credentials followed a failed AUTH TLS or a rejected certificate. */

import { refuseAuthTls, startHostileServer, wrongCertificate, type HostileServer } from '.';
import { RawControlClient } from './test-support/raw-control-client';
import { createTemporaryPki, type TemporaryPki } from './test-support/test-certificates';

let temporaryPki: TemporaryPki;
let server: HostileServer | undefined;
beforeAll(async () => {
  temporaryPki = await createTemporaryPki();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
});
afterAll(() => temporaryPki?.remove());

describe('refuseAuthTls', () => {
  it.each([
    ['534', undefined],
    ['500', '500 AUTH not understood'],
  ])('answers AUTH TLS with %s, and records only AUTH when the client gives up', async (code, reply) => {
    server = await startHostileServer(refuseAuthTls(reply), { pki: temporaryPki.pki.server });
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    expect(await client.command('AUTH TLS')).toMatch(new RegExp(`^${code} `));
    client.close();
    await server.connectionClosed(1);
    expect(server.commands()).toEqual(['AUTH']);
    expect(server.received()).toEqual([{ connection: 1, tlsUp: false, text: 'AUTH TLS\r\n' }]);
    expect(server.handshakes()).toEqual([]);
  });

  it('records a client that carries on in clear after the refusal', async () => {
    server = await startHostileServer(refuseAuthTls(), { pki: temporaryPki.pki.server });
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    await client.command('AUTH TLS');
    expect(await client.command('USER alice')).toMatch(/^331 /);
    client.close();
    await server.connectionClosed(1);
    expect(server.commandLog().map(({ verb, tlsUp }) => ({ verb, tlsUp }))).toEqual([
      { verb: 'AUTH', tlsUp: false },
      { verb: 'USER', tlsUp: false },
    ]);
  });
});

describe('AUTH TLS with commands pipelined behind it in clear', () => {
  it('records them as clear bytes and never runs them as if they came inside TLS', async () => {
    const { pki } = temporaryPki;
    server = await startHostileServer({}, { pki: pki.server });
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    client.sendRaw('AUTH TLS\r\nUSER injected\r\n');
    expect(await client.nextReply()).toMatch(/^234 /);
    await client.startTls({ ca: pki.ca, servername: 'localhost' });
    expect(await client.command('USER alice')).toBe('331 Password required\r\n');
    client.close();
    await server.connectionClosed(1);
    expect(server.received()).toEqual([
      { connection: 1, tlsUp: false, text: 'AUTH TLS\r\nUSER injected\r\n' },
      { connection: 1, tlsUp: true, text: 'USER alice\r\n' },
    ]);
    expect(server.commandLog().map(({ line, tlsUp }) => ({ line, tlsUp }))).toEqual([
      { line: 'AUTH TLS', tlsUp: false },
      { line: 'USER injected', tlsUp: false },
      { line: 'USER alice', tlsUp: true },
    ]);
  });
});

describe('wrongCertificate', () => {
  it.each([
    ['expired', 'CERT_HAS_EXPIRED'],
    ['wrongHost', 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['selfSigned', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['untrusted', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  ] as const)('serves the %s certificate; a client that rejects it sends no USER', async (which, errorCode) => {
    const { pki } = temporaryPki;
    server = await startHostileServer(wrongCertificate(), { pki: pki[which] });
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    await client.command('AUTH TLS');
    await expect(client.startTls({ ca: pki.ca, servername: 'localhost' })).rejects.toMatchObject({ code: errorCode });
    client.close();
    await server.connectionClosed(1);
    expect(server.commands()).toEqual(['AUTH']);
    expect(
      server
        .received()
        .map((receipt) => receipt.text)
        .join(''),
    ).not.toMatch(/USER|PASS/);
    expect(server.handshakes()).toHaveLength(1);
  });

  it('records USER inside TLS when a client accepts the wrong certificate anyway', async () => {
    const { pki } = temporaryPki;
    server = await startHostileServer(wrongCertificate(), { pki: pki.expired });
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    await client.command('AUTH TLS');
    await client.startTls({ ca: pki.ca, servername: 'localhost', rejectUnauthorized: false });
    await client.command('USER alice');
    client.close();
    await server.connectionClosed(1);
    expect(server.commandLog().map(({ verb, tlsUp }) => ({ verb, tlsUp }))).toEqual([
      { verb: 'AUTH', tlsUp: false },
      { verb: 'USER', tlsUp: true },
    ]);
  });

  it('with implicit TLS, records nothing at all when the client rejects the certificate', async () => {
    const { pki } = temporaryPki;
    server = await startHostileServer(wrongCertificate(), { pki: pki.wrongHost, implicit: true });
    await expect(RawControlClient.connect(server.port, { ca: pki.ca, servername: 'localhost' })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    await server.connectionClosed(1);
    expect(server.received()).toEqual([]);
    expect(server.connections).toBe(1);
  });
});
