/**
 * Bounds on one directory listing (MLSD or LIST), applied while it streams in: at most
 * `transfer.maxListingBytes` bytes and `transfer.maxListingEntries` lines. The first byte or
 * line beyond either ends the read with FTPSCTL_ERR_TRANSFER, naming the setting, so a
 * hostile or runaway listing (a million entries, an endless stream) costs at most the limit
 * in memory. Lines are counted at LF (RFC 959 listings end lines in CRLF; a bare LF counts too).
 */
import { SessionError } from '../../errors';

export interface ListingLimits {
  /** Bytes, ≥ 1. */
  maxBytes: number;
  /** Lines (each entry is one line; `total 12` and headers count too), ≥ 1. */
  maxEntries: number;
}

/** Defaults of schemas/session-profile.schema.json, for settings built without them. */
export const DEFAULT_LISTING_LIMITS: ListingLimits = { maxBytes: 64 * 1024 * 1024, maxEntries: 250_000 };

export function listingLimits(transfer: { maxListingBytes?: number; maxListingEntries?: number }): ListingLimits {
  return {
    maxBytes: transfer.maxListingBytes ?? DEFAULT_LISTING_LIMITS.maxBytes,
    maxEntries: transfer.maxListingEntries ?? DEFAULT_LISTING_LIMITS.maxEntries,
  };
}

const LF = 0x0a;

/** Collects the chunks of one listing; `add` throws at the first byte or line beyond a limit. */
export class ListingLimiter {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private lines = 0;

  constructor(
    private readonly limits: ListingLimits,
    private readonly what: { command: string; folder: string; host: string },
  ) {}

  add(chunk: Buffer): void {
    if (this.size + chunk.length > this.limits.maxBytes) {
      throw this.exceeded(
        `more than transfer.maxListingBytes (${this.limits.maxBytes} bytes)`,
        'transfer.maxListingBytes',
      );
    }
    for (let at = chunk.indexOf(LF); at !== -1; at = chunk.indexOf(LF, at + 1)) {
      this.lines += 1;
      if (this.lines > this.limits.maxEntries)
        throw this.exceeded(
          `more than transfer.maxListingEntries (${this.limits.maxEntries} lines)`,
          'transfer.maxListingEntries',
        );
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }

  private exceeded(what: string, setting: string): SessionError {
    const { command, folder, host } = this.what;
    return new SessionError(
      'FTPSCTL_ERR_TRANSFER',
      `the ${command} listing of ${folder} from ${host} has ${what}; ftpsctl stopped reading it. List a smaller folder, or raise ${setting} where the policy allows it`,
      { host },
    );
  }
}
