/** foreignPasvAddress: a 227 naming a third host while the listener is on 127.0.0.1, and EPSV refused. */

import { connect } from 'node:net';
import { foreignPasvAddress, startHostileServer, type HostileServer } from '.';
import { passivePort, RawControlClient } from './test-support/raw-control-client';

let server: HostileServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function loggedInInClear(port: number): Promise<RawControlClient> {
  const client = await RawControlClient.connect(port);
  await client.nextReply();
  await client.command('USER alice');
  await client.command('PASS secret');
  return client;
}

describe('foreignPasvAddress', () => {
  it('refuses EPSV and answers PASV with 10.9.8.7 and the port of its 127.0.0.1 listener', async () => {
    server = await startHostileServer(foreignPasvAddress());
    const client = await loggedInInClear(server.port);
    expect(await client.command('EPSV')).toMatch(/^500 /);
    const reply = await client.command('PASV');
    expect(reply).toMatch(/^227 Entering Passive Mode \(10,9,8,7,\d+,\d+\)\r\n$/);
    client.close();
    await server.connectionClosed(1);
    expect(server.dataConnections).toBe(0);
  });

  it('counts a data connection a client makes to the control peer instead', async () => {
    server = await startHostileServer(foreignPasvAddress('192.0.2.1'));
    const client = await loggedInInClear(server.port);
    const reply = await client.command('PASV');
    expect(reply).toContain('(192,0,2,1,');
    const data = connect(passivePort(reply), '127.0.0.1');
    const received: Buffer[] = [];
    data.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise((resolve) => data.once('close', resolve));
    expect(await client.command('LIST')).toMatch(/^150 /);
    expect(await client.nextReply()).toMatch(/^226 /);
    await closed;
    client.close();
    expect(server.dataConnections).toBe(1);
    expect(Buffer.concat(received).toString()).toContain('payload.bin');
  });

  it('refuses to start with a passive address that is not IPv4', async () => {
    await expect(startHostileServer({ passiveAddress: 'evil.example' })).rejects.toThrow(/IPv4/);
  });
});
