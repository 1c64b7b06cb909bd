/** malformedReply: replies no client should accept, as the greeting or as the answer to a verb. */

import { malformedReply, startHostileServer, type HostileServer } from '.';
import { RawControlClient } from './test-support/raw-control-client';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('malformedReply', () => {
  it('greets with a line that is no reply at all', async () => {
    server = await startHostileServer(malformedReply('not-a-reply'));
    const client = await RawControlClient.connect(server.port);
    expect(await client.until(() => (client.text().endsWith('\n') ? client.text() : undefined))).toBe('abc\r\n');
    client.close();
  });

  it('answers a chosen verb with a two-digit code, and the rest normally', async () => {
    server = await startHostileServer(malformedReply('two-digit-code', 'user'));
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    client.send('USER alice');
    expect(await client.until(() => (client.text().endsWith('22 Ready\r\n') ? true : undefined))).toBe(true);
    client.skipReceived();
    expect(await client.command('PASS secret')).toMatch(/^230 /);
    client.close();
  });

  it('starts a multi-line greeting of 12,000 lines that never ends, then stays silent', async () => {
    server = await startHostileServer(malformedReply('unterminated-multi-line'));
    const client = await RawControlClient.connect(server.port);
    const text = await client.until(() => (client.text().includes(' line 12000\r\n') ? client.text() : undefined));
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('220-Welcome');
    expect(lines.filter((line) => /^\d{3} /.test(line))).toEqual([]);
    await expect(client.nextReply(200)).rejects.toThrow(/timed out/);
    client.close();
  });

  it('sends a 10 MiB greeting line without a line end', async () => {
    server = await startHostileServer(malformedReply('endless-line'));
    const client = await RawControlClient.connect(server.port);
    const size = 4 + 10 * 1024 * 1024;
    await client.until(() => (client.byteCount() >= size ? true : undefined), 10_000);
    expect(client.byteCount()).toBe(size);
    expect(Buffer.concat(client.chunks).includes('\n')).toBe(false);
    client.close();
  });

  it('lets a client hang up in the middle of the 10 MiB line', async () => {
    server = await startHostileServer(malformedReply('endless-line'));
    const client = await RawControlClient.connect(server.port);
    await client.until(() => (client.byteCount() > 64 * 1024 ? true : undefined));
    client.close();
    await server.connectionClosed(1);
    expect(server.scriptProblems()).toEqual([]);
  });
});
