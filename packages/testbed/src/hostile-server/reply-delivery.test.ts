/** splitReplies and mergedReplies: the same replies cut into single bytes, or glued into one write. */

import { mergedReplies, splitReplies, startHostileServer, type HostileServer } from '.';
import { passivePort, RawControlClient } from './test-support/raw-control-client';
import { openDataConnection } from './test-support/raw-data-client';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('splitReplies', () => {
  it('writes every reply byte by byte, so the client reads it in fragments', async () => {
    server = await startHostileServer(splitReplies(1));
    const client = await RawControlClient.connect(server.port);
    expect(await client.nextReply()).toBe('220 ftpsctl hostile test server\r\n');
    const feat = await client.command('FEAT');
    expect(feat).toMatch(/^211-Features:\r\n[\s\S]*211 End\r\n$/);
    // Loopback may coalesce a few segments, but nowhere near one read per reply.
    expect(client.chunks.length).toBeGreaterThan((33 + feat.length) / 4);
    client.close();
  });
});

describe('mergedReplies', () => {
  it('answers commands that arrived in one chunk with one write', async () => {
    server = await startHostileServer(mergedReplies());
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    const before = client.chunks.length;
    client.sendRaw('USER alice\r\nPASS secret\r\nTYPE I\r\n');
    await client.nextReply();
    await client.nextReply();
    await client.nextReply();
    expect(client.chunks.slice(before).map((chunk) => chunk.toString())).toEqual([
      '331 Password required\r\n230 Logged in\r\n200 Type set\r\n',
    ]);
    client.close();
  });

  it("writes a download's 150 and 226 as one, after the data", async () => {
    server = await startHostileServer(mergedReplies());
    const client = await RawControlClient.connect(server.port);
    await client.nextReply();
    const data = await openDataConnection(passivePort(await client.command('EPSV')));
    const before = client.chunks.length;
    client.send('RETR payload.bin');
    await client.nextReply();
    await client.nextReply();
    expect(client.chunks.slice(before).map((chunk) => chunk.toString())).toEqual([
      expect.stringMatching(/^150 [^\n]*\r\n226 Transfer complete\r\n$/),
    ]);
    expect((await data.received).length).toBe(100 * 1024);
    client.close();
  });
});
