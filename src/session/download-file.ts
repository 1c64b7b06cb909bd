/**
 * A download that never leaves a partial file under the final name: it goes to
 * `<name>.ftpsctl-part`, is verified, and only then renamed. With resume, an existing part
 * file is continued (REST) and kept when the transfer fails, for the next `--resume`.
 */
import { rename, stat, unlink } from 'node:fs/promises';
import type { FtpsSession, TransferOptions, TransferResult } from '../engine/ftps-session';
import { sha256OfFile } from '../engine/local-file-hash';

export const PART_SUFFIX = '.ftpsctl-part';

export async function downloadFile(session: FtpsSession, remotePath: string, localPath: string, options: { resume: boolean; onProgress?: TransferOptions['onProgress']; remoteSize?: number }): Promise<TransferResult> {
  const part = `${localPath}${PART_SUFFIX}`;
  const offset = options.resume ? await sizeOf(part) : 0;
  let result: TransferResult;
  try {
    result = await session.get(remotePath, part, { offset, sha256: offset === 0, ...(options.onProgress ? { onProgress: options.onProgress } : {}), ...(options.remoteSize !== undefined ? { remoteSize: options.remoteSize } : {}) });
  } catch (error) {
    if (!options.resume) await unlink(part).catch(() => undefined);
    throw error;
  }
  // The audit event carries the SHA-256 of the whole file, also when only its tail moved now.
  if (offset > 0 || !result.sha256) result = { ...result, sha256: await sha256OfFile(part) };
  await rename(part, localPath);
  return result;
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}
