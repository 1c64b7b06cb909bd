/** scripted: a conversation written as steps, for anything the presets don't cover. */

import { scripted, startHostileServer, type HostileServer } from '.';
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

describe('scripted', () => {
  it('answers each command with the next step, then falls back to the built-in answers', async () => {
    server = await startHostileServer(
      scripted(
        [
          { expect: /^USER /, reply: (command) => `331 Hello ${command.argument}` },
          { expect: /^PASS /, reply: '230-Welcome\r\n230 In', delayMs: 20 },
          { reply: { raw: '200 first\r\n200 second\r\n' } },
        ],
        '220 Scripted',
      ),
    );
    const client = await RawControlClient.connect(server.port);
    expect(await client.nextReply()).toBe('220 Scripted\r\n');
    expect(await client.command('USER alice')).toBe('331 Hello alice\r\n');
    expect(await client.command('PASS secret')).toBe('230-Welcome\r\n230 In\r\n');
    expect(await client.command('NOOP')).toBe('200 first\r\n');
    expect(await client.nextReply()).toBe('200 second\r\n');
    expect(await client.command('PWD')).toMatch(/^257 /);
    client.close();
    expect(server.scriptProblems()).toEqual([]);
  });

  it('records a command the script did not expect and answers it 503', async () => {
    server = await startHostileServer(scripted([{ expect: /^USER /, reply: '331 ok' }]));
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    expect(await client.command('PASS too-early')).toMatch(/^503 /);
    client.close();
    expect(server.scriptProblems()).toEqual([expect.stringContaining('"PASS too-early"')]);
  });

  it('can answer nothing, and can close the control connection after a reply', async () => {
    server = await startHostileServer(scripted([{ reply: null }, { reply: '421 Going away', thenCloseControl: true }]));
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    client.send('NOOP');
    client.send('NOOP');
    expect(await client.nextReply()).toBe('421 Going away\r\n');
    await client.closed();
    expect(server.commands()).toEqual(['NOOP', 'NOOP']);
  });

  it('can upgrade to TLS after a scripted 234', async () => {
    const { pki } = temporaryPki;
    server = await startHostileServer(
      scripted([{ expect: /^AUTH TLS$/, reply: '234 Scripted TLS', thenUpgradeToTls: true }]),
      { pki: pki.server },
    );
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    expect(await client.command('AUTH TLS')).toBe('234 Scripted TLS\r\n');
    await client.startTls({ ca: pki.ca, servername: 'localhost' });
    expect(await client.command('USER alice')).toMatch(/^331 /);
    client.close();
    await server.connectionClosed(1);
    expect(server.received()).toEqual([
      { connection: 1, tlsUp: false, text: 'AUTH TLS\r\n' },
      { connection: 1, tlsUp: true, text: 'USER alice\r\n' },
    ]);
  });

  it('can answer a 234 and never start TLS: the ClientHello is recorded as clear bytes', async () => {
    server = await startHostileServer(scripted([{ reply: '234 Go ahead' }]), { pki: temporaryPki.pki.server });
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    await client.command('AUTH TLS');
    // The handshake hangs, or fails on the server's clear 502 when the ClientHello happened to hold a line feed.
    const handshake = client.startTls({ ca: temporaryPki.pki.ca, servername: 'localhost' }).then(
      () => 'secure',
      () => 'failed',
    );
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      handshake,
      new Promise((resolve) => (timer = setTimeout(() => resolve('no handshake'), 300))),
    ]);
    clearTimeout(timer);
    expect(outcome).not.toBe('secure');
    client.close();
    await server.connectionClosed(1);
    const clear = server
      .received()
      .filter((receipt) => !receipt.tlsUp)
      .map((receipt) => receipt.text)
      .join('');
    expect(clear.startsWith('AUTH TLS\r\n\x16\x03')).toBe(true);
    expect(server.handshakes()).toEqual([]);
  });
});
