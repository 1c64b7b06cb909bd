/**
 * The check every server configuration must pass: curl uploads random bytes, the file in
 * the served root and curl's download both have the same SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RealServer } from './real-server';
import { assertCurlSucceeded, runCurl } from './run-curl';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export interface RoundTripOptions {
  scheme: 'ftp' | 'ftps';
  /** TLS arguments, e.g. `['--ssl-reqd', '--cacert', caFile]`. */
  curlArgs: readonly string[];
  size?: number;
}

export async function curlRoundTrip(server: RealServer, options: RoundTripOptions): Promise<void> {
  const content = randomBytes(options.size ?? 300 * 1024);
  const name = `round-trip-${randomBytes(4).toString('hex')}.bin`;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ftpsctl-round-trip-'));
  try {
    const local = path.join(dir, name);
    await writeFile(local, content);
    assertCurlSucceeded(
      await runCurl(server, { scheme: options.scheme, path: `/${name}`, args: [...options.curlArgs, '-T', local] }),
      server,
    );
    const stored = await readFile(path.join(server.root, name));
    if (sha256(stored) !== sha256(content))
      throw new Error(`${server.kind} stored ${stored.length} bytes that differ from the ${content.length} uploaded`);
    const download = await runCurl(server, { scheme: options.scheme, path: `/${name}`, args: options.curlArgs });
    assertCurlSucceeded(download, server);
    if (sha256(download.stdout) !== sha256(content))
      throw new Error(`${server.kind} sent back ${download.stdout.length} bytes that differ from the upload`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
