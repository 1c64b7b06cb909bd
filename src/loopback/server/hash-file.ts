/** Streams a file through a hash, for the HASH command. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { nodeHashName, type HashAlgorithm } from './features';

export async function hashFile(realPath: string, algorithm: HashAlgorithm): Promise<string> {
  const hash = createHash(nodeHashName(algorithm));
  await pipeline(createReadStream(realPath), hash);
  return hash.digest('hex');
}
