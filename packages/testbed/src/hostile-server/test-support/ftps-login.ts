/** The common opening of the hostile server's tests: explicit AUTH TLS, PBSZ 0, PROT P, login. */

import type { TestPki } from '../../../../../src/loopback/pki';
import { RawControlClient } from './raw-control-client';

export async function loginOverTls(port: number, pki: TestPki, protection: 'C' | 'P' = 'P'): Promise<RawControlClient> {
  const client = await RawControlClient.connect(port);
  await client.nextReply();
  await client.command('AUTH TLS');
  await client.startTls({ ca: pki.ca, servername: 'localhost' });
  await client.command('PBSZ 0');
  await client.command(`PROT ${protection}`);
  await client.command('USER alice');
  await client.command('PASS secret');
  return client;
}
