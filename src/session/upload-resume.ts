/**
 * Where an upload with resume continues (RFC 3659 §4 SIZE, §3 MDTM): at the remote file's size,
 * unless the remote file can't be the start of the local file as it is now. The remote part
 * was written by the interrupted upload; when the local file changed after that (its mtime is
 * later than the remote file's MDTM, whole seconds), the part holds an older version's start,
 * and appending the new version's tail would store a file that never existed: it is uploaded
 * whole instead, and `discarded` says why. Without an MDTM answer the size is all there is.
 * A server clock ahead of this one by more than the gap hides a change; one behind only costs
 * a whole upload.
 */
import { stat } from 'node:fs/promises';
import type { FtpsSession, TransferResult } from '../engine/ftps-session';

/** An upload's result: `partDiscarded` says why a remote part was not continued. */
export interface UploadResult extends TransferResult {
  partDiscarded?: string;
}

export interface UploadResume {
  offset: number;
  /** Why the remote part was not continued (the file was uploaded whole). */
  discarded?: string;
}

export async function uploadResumeOffset(
  engine: Pick<FtpsSession, 'size' | 'modifiedAt'>,
  localPath: string,
  remotePath: string,
): Promise<UploadResume> {
  const size = (await engine.size(remotePath)) ?? 0;
  if (size === 0) return { offset: 0 };
  const remoteTime = await engine.modifiedAt(remotePath).catch(() => undefined);
  // The local file's own problems (missing, not a file) are the upload's to report, with its words.
  const local = await stat(localPath).catch(() => undefined);
  if (remoteTime === undefined || local === undefined) return { offset: size };
  const seconds = (ms: number): number => Math.floor(ms / 1000);
  if (seconds(remoteTime.getTime()) >= seconds(local.mtimeMs)) return { offset: size };
  return {
    offset: 0,
    discarded: `the ${size} bytes of ${remotePath} on the server were written ${remoteTime.toISOString()}, before ${localPath} last changed (${local.mtime.toISOString()}), so they can't be the start of it: uploaded it whole`,
  };
}
