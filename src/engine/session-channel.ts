/**
 * What an FtpsSession lends the modules that implement its commands (listing-commands.ts,
 * file-transfer.ts, transfer-verification.ts): its settings and features, one command at a
 * time with the session's error rules, and one data transfer at a time. Like basic-ftp's
 * FtpContext, it holds no FTP logic of its own.
 */
import type { Duplex } from 'node:stream';
import type { DataTransferOptions } from './data-transfer';
import type { EngineSettings } from './engine-settings';
import type { NameCodec } from './name-codec';
import type { Features } from './parse-features';
import type { FtpReply } from './parse-reply';

/** What the server refused once, so the session stops asking (RFC 959 500/502/504 to MLSD or MLST). */
export interface Refusals {
  /** MLSD refused (transfer.listing auto): LIST from then on. */
  mlsd: boolean;
  /** MLST refused: SIZE and MDTM from then on. */
  mlst: boolean;
}

export interface SessionChannel {
  readonly settings: EngineSettings;
  /** FEAT's answer (RFC 2389); `remoteSha256` records the HASH algorithm it selected. */
  readonly features: Features;
  readonly refusals: Refusals;
  /** `network.encoding` of names on the control channel and in listings. */
  readonly nameCodec: NameCodec;
  /** A command whose reply the caller interprets; a 421 is an error whatever the command (FTPSCTL_ERR_CLOSED). */
  command(line: string): Promise<FtpReply>;
  /** A command that moves data (data-transfer.ts); `body` reads or writes the data socket. */
  dataTransfer(
    command: string,
    body: (socket: Duplex) => Promise<void>,
    options?: DataTransferOptions,
  ): Promise<{ encrypted: boolean; resumed: boolean }>;
}
