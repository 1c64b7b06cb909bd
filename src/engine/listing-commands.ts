/**
 * Listings and the facts of one remote path: MLSD/LIST (RFC 3659 §7, RFC 959 §4.1.3), MLST,
 * SIZE and MDTM (RFC 3659 §4, §3). Listings use `transfer.listing` (MLSD where offered, LIST
 * for the rest of the session once MLSD is refused), read under the listing limits.
 */
import { SessionError } from '../errors';
import { ListingLimiter, listingLimits } from './listing/listing-limits';
import { parseListing, parseMdtm, parseMlsdLine, type ListEntry, type ListParse } from './parse-list';
import { isNegative, type FtpReply } from './parse-reply';
import type { SessionChannel } from './session-channel';

/** A directory listing with everything the server sent: entries, lines no format fits, and time warnings. */
export interface Listing extends ListParse {
  /** The command that produced it. */
  command: 'MLSD' | 'LIST';
}

/** `list()`'s result: the entries, with the unparsed lines and warnings alongside (not enumerable, so it still equals a plain array). */
export type ListEntries = ListEntry[] & { readonly unparsed: string[]; readonly warnings: string[] };

/** MLSD/MLST answered "not understood / not implemented" (RFC 959 500, 502; 504 for the parameter). */
export const NOT_IMPLEMENTED = new Set([500, 502, 504]);

/** SIZE (RFC 3659 §4, in TYPE I: bytes) with the reply, so a refusal can be named; `size` undefined when the server can't tell. */
export async function sizeReply(channel: SessionChannel, path: string): Promise<{ size?: number; reply: FtpReply }> {
  const reply = await channel.command(`SIZE ${path}`);
  const size = reply.code === 213 && /^\d+$/.test(reply.message.trim()) ? Number(reply.message.trim()) : undefined;
  return size === undefined ? { reply } : { size, reply };
}

/** MDTM (RFC 3659 §3): the modification time, or undefined when the server can't tell. */
export async function modifiedAt(channel: SessionChannel, path: string): Promise<Date | undefined> {
  const reply = await channel.command(`MDTM ${path}`);
  return reply.code === 213 ? parseMdtm(reply.message.trim()) : undefined;
}

/**
 * One entry's facts (MLST), else SIZE and MDTM; undefined when the path does not exist.
 * Only 550 (RFC 959: file unavailable, not found) means "does not exist"; MLST refused as
 * a command (500/501/502/504) falls back to SIZE and MDTM; any other refusal (530, 553,
 * 4xx...) is FTPSCTL_ERR_COMMAND_FAILED naming the reply.
 */
export async function statPath(channel: SessionChannel, path: string): Promise<ListEntry | undefined> {
  const host = channel.settings.host;
  if (channel.features.has('MLST') && !channel.refusals.mlst) {
    const reply = await channel.command(`MLST ${path}`);
    if (reply.code === 250) {
      const factLine = reply.lines.slice(1, -1).find((line) => line.trim() !== '');
      // RFC 3659 §7.2: the fact line starts with one space, then facts, a space and the path.
      const entry = factLine ? parseMlsdLine(factLine.replace(/^ /, '')) : undefined;
      if (entry) return { ...entry, name: path.split('/').filter(Boolean).pop() ?? entry.name };
    } else if (reply.code === 550) {
      return undefined;
    } else if (NOT_IMPLEMENTED.has(reply.code) || reply.code === 501) {
      channel.refusals.mlst = NOT_IMPLEMENTED.has(reply.code);
    } else if (isNegative(reply)) {
      throw new SessionError(
        'FTPSCTL_ERR_COMMAND_FAILED',
        `${host} refused MLST ${path}: ${reply.code} ${reply.message}`,
        {
          reply,
          host,
        },
      );
    }
  }
  const size = (await sizeReply(channel, path)).size;
  const modified = await modifiedAt(channel, path);
  if (size === undefined && modified === undefined) return undefined;
  return {
    name: path.split('/').filter(Boolean).pop() ?? path,
    type: 'file',
    ...(size !== undefined ? { size } : {}),
    ...(modified ? { modifiedAt: modified } : {}),
  };
}

/**
 * A directory listing: MLSD or LIST as `transfer.listing` says (auto: MLSD where FEAT lists
 * MLST, LIST for the rest of the session once MLSD is refused with 500/502/504). Nothing
 * the server sent is dropped: lines no format fits are in `unparsed`.
 */
export async function listing(channel: SessionChannel, path?: string): Promise<Listing> {
  const mode = channel.settings.transfer.listing ?? 'auto';
  const useMlsd = mode === 'mlsd' || (mode === 'auto' && channel.features.has('MLST') && !channel.refusals.mlsd);
  if (useMlsd) {
    try {
      return await listWith(channel, 'MLSD', path);
    } catch (error) {
      const reply = (error as SessionError).reply;
      const refused =
        (error as SessionError).code === 'FTPSCTL_ERR_COMMAND_FAILED' &&
        reply !== undefined &&
        NOT_IMPLEMENTED.has(reply.code);
      if (!refused) throw error;
      if (mode === 'mlsd') {
        throw new SessionError(
          'FTPSCTL_ERR_COMMAND_FAILED',
          `${channel.settings.host} refused MLSD (${reply.code} ${reply.message}); transfer.listing is mlsd: set it to auto (or list) to use LIST with this server`,
          { cause: error, reply, host: channel.settings.host },
        );
      }
      channel.refusals.mlsd = true;
    }
  }
  return listWith(channel, 'LIST', path);
}

/** The entries of `listing()`, with `unparsed` and `warnings` riding along (see ListEntries). */
export function listEntries({ entries, unparsed, warnings }: Listing): ListEntries {
  Object.defineProperty(entries, 'unparsed', { value: unparsed, enumerable: false });
  Object.defineProperty(entries, 'warnings', { value: warnings, enumerable: false });
  return entries as ListEntries;
}

/**
 * One listing, read under transfer.maxListingBytes and transfer.maxListingEntries: the data
 * connection is closed at the first byte or line beyond either (FTPSCTL_ERR_TRANSFER), so a
 * hostile listing costs at most the limit in memory.
 */
async function listWith(channel: SessionChannel, command: 'MLSD' | 'LIST', path?: string): Promise<Listing> {
  const limiter = new ListingLimiter(listingLimits(channel.settings.transfer), {
    command,
    folder: path ?? '.',
    host: channel.settings.host,
  });
  await channel.dataTransfer(`${command}${path ? ` ${path}` : ''}`, async (socket) => {
    for await (const chunk of socket) limiter.add(chunk as Buffer);
  });
  const text = channel.nameCodec.decode(limiter.bytes());
  return { command, ...parseListing(text, { mlsd: command === 'MLSD' }) };
}
