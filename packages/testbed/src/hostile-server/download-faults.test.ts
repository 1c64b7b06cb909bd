/** Download faults: a dropped data connection, stalls, the 150/226 race both ways, and a missing close_notify. */

import {
  dataBeforePreliminary,
  DEFAULT_DOWNLOAD,
  dropDataMidTransfer,
  finalReplyBeforeData,
  noCloseNotify,
  stall,
  startHostileServer,
  type HostileServer,
} from '.';
import { loginOverTls } from './test-support/ftps-login';
import { passivePort, RawControlClient } from './test-support/raw-control-client';
import { openDataConnection, TLS_ALERT_RECORD } from './test-support/raw-data-client';
import { createTemporaryPki, type TemporaryPki } from './test-support/test-certificates';

/** Long enough that a reply the server was going to send would have arrived on loopback. */
const SILENCE_MS = 300;

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

async function loggedInInClear(port: number): Promise<RawControlClient> {
  const client = await RawControlClient.connect(port);
  await client.nextReply();
  await client.command('USER alice');
  await client.command('PASS secret');
  return client;
}

describe('dropDataMidTransfer', () => {
  it.each([
    ['a 426', undefined, /^426 /],
    ['a lying 226', '226 Transfer complete', /^226 /],
  ])('sends 4096 bytes, drops the data connection, then %s', async (_name, finalReply, expected) => {
    server = await startHostileServer(dropDataMidTransfer(4096, finalReply));
    const client = await loggedInInClear(server.port);
    const data = await openDataConnection(passivePort(await client.command('EPSV')));
    expect(await client.command('RETR payload.bin')).toMatch(/^150 /);
    expect(await client.nextReply()).toMatch(expected);
    expect((await data.received).equals(DEFAULT_DOWNLOAD.subarray(0, 4096))).toBe(true);
    client.close();
  });

  it('under PROT P, drops without close_notify and sends no final reply when told so', async () => {
    const { pki } = temporaryPki;
    server = await startHostileServer(dropDataMidTransfer(1000, null), {
      pki: pki.server,
      tls: { maxVersion: 'TLSv1.2' },
    });
    const client = await loginOverTls(server.port, pki);
    const data = await openDataConnection(passivePort(await client.command('EPSV')), {
      ca: pki.ca,
      servername: 'localhost',
      session: client.tlsSocket?.getSession(),
    });
    expect(await client.command('RETR payload.bin')).toMatch(/^150 /);
    expect((await data.received).length).toBe(1000);
    expect(data.wireRecords().map((record) => record.type)).not.toContain(TLS_ALERT_RECORD);
    await expect(client.nextReply(SILENCE_MS)).rejects.toThrow(/timed out/);
    client.close();
  });
});

describe('stall', () => {
  it('before-greeting: accepts, records, and never says a word', async () => {
    server = await startHostileServer(stall('before-greeting'));
    const client = await RawControlClient.connect(server.port);
    client.send('USER alice');
    await expect(client.nextReply(SILENCE_MS)).rejects.toThrow(/timed out/);
    expect(client.byteCount()).toBe(0);
    expect(server.commands()).toEqual(['USER']);
    client.close();
  });

  it('after-greeting: greets, then answers nothing', async () => {
    server = await startHostileServer(stall('after-greeting'));
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    client.send('FEAT');
    await expect(client.nextReply(SILENCE_MS)).rejects.toThrow(/timed out/);
    expect(server.commands()).toEqual(['FEAT']);
    client.close();
  });

  it('atCommand: answers until that verb, then nothing', async () => {
    server = await startHostileServer(stall({ atCommand: 'pass' }));
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    expect(await client.command('USER alice')).toMatch(/^331 /);
    client.send('PASS secret');
    client.send('NOOP');
    await expect(client.nextReply(SILENCE_MS)).rejects.toThrow(/timed out/);
    expect(server.commands()).toEqual(['USER', 'PASS', 'NOOP']);
    client.close();
  });

  it('after-preliminary: RETR gets its 150, then no data and no final reply', async () => {
    server = await startHostileServer(stall('after-preliminary'));
    const client = await loggedInInClear(server.port);
    const data = await openDataConnection(passivePort(await client.command('EPSV')));
    expect(await client.command('RETR payload.bin')).toMatch(/^150 /);
    await expect(client.nextReply(SILENCE_MS)).rejects.toThrow(/timed out/);
    expect(data.byteCount()).toBe(0);
    expect(data.socket.destroyed).toBe(false);
    client.close();
  });
});

describe('the 150/226 race', () => {
  it('finalReplyBeforeData: 150 and 226 arrive before the first data byte', async () => {
    server = await startHostileServer(finalReplyBeforeData());
    const client = await loggedInInClear(server.port);
    const data = await openDataConnection(passivePort(await client.command('EPSV')));
    expect(await client.command('RETR payload.bin')).toMatch(/^150 /);
    expect(await client.nextReply()).toMatch(/^226 /);
    expect(data.byteCount()).toBe(0);
    expect((await data.received).equals(DEFAULT_DOWNLOAD)).toBe(true);
    client.close();
  });

  it('dataBeforePreliminary: the whole payload has arrived and the data connection closed before the 150', async () => {
    server = await startHostileServer(dataBeforePreliminary());
    const client = await loggedInInClear(server.port);
    const data = await openDataConnection(passivePort(await client.command('EPSV')));
    let dataDone = false;
    void data.received.then(() => (dataDone = true));
    expect(await client.command('RETR payload.bin')).toMatch(/^150 /);
    expect(dataDone).toBe(true);
    expect(await client.nextReply()).toMatch(/^226 /);
    expect((await data.received).equals(DEFAULT_DOWNLOAD)).toBe(true);
    client.close();
  });
});

describe('noCloseNotify', () => {
  async function downloadOverTls12(
    script: Parameters<typeof startHostileServer>[0],
  ): Promise<{ bytes: Buffer; recordTypes: number[]; finalReply: string }> {
    const { pki } = temporaryPki;
    // TLS 1.2 keeps the alert record type visible on the wire (TLS 1.3 hides it inside application data).
    server = await startHostileServer(script, { pki: pki.server, tls: { maxVersion: 'TLSv1.2' } });
    const client = await loginOverTls(server.port, pki);
    const data = await openDataConnection(passivePort(await client.command('EPSV')), {
      ca: pki.ca,
      servername: 'localhost',
      session: client.tlsSocket?.getSession(),
    });
    expect(await client.command('RETR payload.bin')).toMatch(/^150 /);
    const finalReply = await client.nextReply();
    const bytes = await data.received;
    client.close();
    return { bytes, recordTypes: data.wireRecords().map((record) => record.type), finalReply };
  }

  it('a clean PROT P download ends with a close_notify alert (the control case)', async () => {
    const { recordTypes } = await downloadOverTls12({});
    expect(recordTypes.at(-1)).toBe(TLS_ALERT_RECORD);
  });

  it('sends the whole payload and 226, but destroys the data TLS socket without close_notify', async () => {
    const { bytes, recordTypes, finalReply } = await downloadOverTls12(noCloseNotify());
    expect(bytes.equals(DEFAULT_DOWNLOAD)).toBe(true);
    expect(recordTypes).not.toContain(TLS_ALERT_RECORD);
    expect(finalReply).toMatch(/^226 /);
  });

  it('can cut the payload short as well', async () => {
    const { bytes, recordTypes } = await downloadOverTls12(noCloseNotify({ truncateAt: 10_000 }));
    expect(bytes.length).toBe(10_000);
    expect(recordTypes).not.toContain(TLS_ALERT_RECORD);
  });
});
