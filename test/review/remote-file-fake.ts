/**
 * The remote side of a download for the resume reviews: a fake FtpsSession whose MDTM answers
 * `modifiedAt` and whose RETR appends the remote bytes from the offset to the part file.
 */
import { appendFileSync } from 'node:fs';
import type { FtpsSession, TransferResult } from '../../src/engine/ftps-session';
import { SessionError } from '../../src/errors';

/** A remote file (content, time as the server reports it); the first RETR can be cut after `cutAfter` bytes. */
export function remoteFile(content: string, modifiedAt: Date, cutAfter?: number) {
  const remote = {
    content,
    modifiedAt,
    cutAfter,
    offsets: [] as number[],
    session: undefined as unknown as FtpsSession,
  };
  remote.session = {
    modifiedAt: async () => remote.modifiedAt,
    get: async (remotePath: string, part: string, options: { offset: number }): Promise<TransferResult> => {
      remote.offsets.push(options.offset);
      const rest = remote.content.slice(options.offset);
      if (remote.cutAfter !== undefined) {
        appendFileSync(part, rest.slice(0, remote.cutAfter));
        remote.cutAfter = undefined;
        throw new SessionError('FTPSCTL_ERR_CLOSED', 'ftp.corp.example closed the data connection');
      }
      appendFileSync(part, rest);
      return {
        direction: 'download',
        remotePath,
        bytes: rest.length,
        offset: options.offset,
        durationMs: 1,
        verifiedBy: 'size',
        encrypted: true,
        sessionResumed: true,
      };
    },
  } as unknown as FtpsSession;
  return remote;
}
