/**
 * transfer.verify after a transfer: the server's SHA-256 (HASH, draft-bryan-ftpext-hash-02;
 * or XSHA256) against the bytes moved, else the sizes (SIZE, RFC 3659 §4).
 */
import { SessionError } from '../errors';
import { hashAlgorithms, type Features } from './parse-features';
import { isCompletion } from './parse-reply';
import type { SessionChannel } from './session-channel';

export type VerifyMode = 'none' | 'size' | 'hash';

/** Whether `transfer.verify hash` can be met by this server (HASH with SHA-256, or XSHA256). */
export function offersSha256(features: Features): boolean {
  return hashAlgorithms(features).includes('SHA-256') || features.has('XSHA256');
}

/**
 * Server-side SHA-256 of a file as 64 lower-case hex digits (HASH after `OPTS HASH SHA-256`,
 * or XSHA256), or undefined when the server has neither or would not answer.
 */
export async function remoteSha256(channel: SessionChannel, path: string): Promise<string | undefined> {
  const features = channel.features;
  if (hashAlgorithms(features).includes('SHA-256')) {
    if (!/SHA-256\*/i.test(features.get('HASH') ?? '')) {
      const selected = await channel.command('OPTS HASH SHA-256');
      if (!isCompletion(selected)) return undefined;
      features.set('HASH', 'SHA-256*');
    }
    const reply = await channel.command(`HASH ${path}`);
    const hex = reply.code === 213 ? /\b([0-9a-fA-F]{64})\b/.exec(reply.message)?.[1] : undefined;
    return hex?.toLowerCase();
  }
  if (features.has('XSHA256')) {
    const reply = await channel.command(`XSHA256 ${path}`);
    return isCompletion(reply) ? /\b([0-9a-fA-F]{64})\b/.exec(reply.message)?.[1]?.toLowerCase() : undefined;
  }
  return undefined;
}

export interface VerifyRequest {
  mode: VerifyMode;
  remotePath: string;
  /** The server's size in bytes, when it gave one. */
  remoteSize: number | undefined;
  /** Bytes of the whole local copy (resumed prefix included). */
  localSize: number;
  /** The local SHA-256 (hex), computed only when the server has one to compare with. */
  localSha256: () => string | undefined | Promise<string | undefined>;
}

/**
 * `hash` compares SHA-256 (HASH/XSHA256), else the size; `size` compares sizes. A transfer
 * that can be checked at neither level fails (FTPSCTL_ERR_VERIFY): `verifiedBy: none` is
 * only ever the result of `verify: none`. A mismatch is FTPSCTL_ERR_VERIFY naming both values.
 */
export async function verifyTransfer(channel: SessionChannel, request: VerifyRequest): Promise<VerifyMode> {
  const { mode, remotePath, remoteSize, localSize } = request;
  const host = channel.settings.host;
  if (mode === 'none') return 'none';
  if (mode === 'hash') {
    const remote = await remoteSha256(channel, remotePath);
    if (remote !== undefined) {
      const local = await request.localSha256();
      if (local !== undefined) {
        if (local !== remote)
          throw new SessionError(
            'FTPSCTL_ERR_VERIFY',
            `SHA-256 of ${remotePath} differs: local ${local}, server ${remote}`,
            { host },
          );
        return 'hash';
      }
    }
    // The server has no HASH: fall back to the size, as transfer.verify documents.
  }
  if (remoteSize === undefined) {
    throw new SessionError(
      'FTPSCTL_ERR_VERIFY',
      `${remotePath} (${localSize} bytes moved) could not be verified as transfer.verify (${mode}) demands: ${host} gave neither a SHA-256 nor a size for it. Ask the server's administrator to enable SIZE (RFC 3659) or HASH; or, where the policy allows it, set transfer.verify to none`,
      { host },
    );
  }
  if (remoteSize !== localSize)
    throw new SessionError(
      'FTPSCTL_ERR_VERIFY',
      `size of ${remotePath} differs: local ${localSize} bytes, server ${remoteSize} bytes`,
      { host },
    );
  return 'size';
}
