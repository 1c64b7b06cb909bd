/**
 * The data that tells a hostile server how to misbehave. Everything is optional: an empty
 * script is a small, well-behaved FTPS server (login, FEAT, PBSZ/PROT, EPSV/PASV, RETR,
 * STOR, LIST, QUIT), so each fault is written as the one thing that differs.
 */

/** One command as the server received it. */
export interface ReceivedCommand {
  /** Control connection it came on, counted from 1. */
  connection: number;
  /** Whether it arrived inside TLS. */
  tlsUp: boolean;
  /** Upper-cased first word, e.g. `AUTH`. */
  verb: string;
  /** Everything after the first space, as sent. */
  argument: string;
  /** The whole line without its line end. */
  line: string;
}

/**
 * A reply. A string gets CRLF appended unless it already ends with a line feed; `raw` is
 * written exactly as given, for replies that are broken on purpose.
 */
export type ReplyText = string | { raw: string | Buffer };

/** A reply chosen from the command, e.g. to echo its argument. */
export type ReplyFor = ReplyText | ((command: ReceivedCommand) => ReplyText);

/**
 * How reply bytes reach the socket.
 * - `whole`: one write per reply.
 * - `byte-by-byte`: one write per byte with a pause between, so a client's reads see
 *   fragments (the socket has Nagle off, so each byte is its own segment).
 * - `merged`: replies are held until the server next waits for the client (for a command,
 *   a data connection or upload data), so the replies to commands that arrived in one
 *   chunk leave in one write, and a download's 150 and 226 leave together after the data.
 */
export type ReplyDelivery = { kind: 'whole' } | { kind: 'byte-by-byte'; delayMs: number } | { kind: 'merged' };

/**
 * Where the server goes silent for good: it keeps accepting and recording, and answers
 * nothing more on that control connection.
 */
export type StallPoint = 'before-greeting' | 'after-greeting' | { atCommand: string };

/** How a download (RETR, and LIST/NLST for `order`) is served. */
export interface DownloadBehaviour {
  /**
   * Order of the preliminary 150, the data and the final reply.
   * - `preliminary-data-final` (default): 150, the data, then the final reply.
   * - `final-before-data`: 150 and the final reply, then the data.
   * - `data-before-preliminary`: the data (until the client closed the data connection, or
   *   1 s), then 150 and the final reply.
   */
  order?: 'preliminary-data-final' | 'final-before-data' | 'data-before-preliminary';
  /** Send only the first N bytes of the payload. */
  truncateAt?: number;
  /**
   * How the data connection ends: `clean` (default) ends it gracefully, with close_notify
   * under PROT P; `destroy` destroys the socket, so under PROT P no close_notify is sent
   * (under PROT C the peer sees a FIN either way).
   */
  dataEnd?: 'clean' | 'destroy';
  /** Final reply after the data; default `226 Transfer complete`; `null` sends none. */
  finalReply?: ReplyText | null;
  /** After the 150 send nothing at all: no data, no final reply, no later reply. */
  stallAfterPreliminary?: boolean;
  /**
   * The preliminary replies, in order, instead of the one `150` (e.g. `150` then `125`, seen
   * in the field; or a glftpd-style `553-` text that ends in `150`).
   */
  preliminaries?: ReplyText[];
  /**
   * Close the data connection before any TLS byte (needs `dataTls: 'withheld'`), then send
   * `replies` (e.g. `421 Timeout` and close the control connection; or `226` for an empty
   * file, as ftpserverlib does). `order`: the replies before the close, or after it.
   */
  closeDataBeforeTls?: { replies: ReplyText[]; closeControl?: boolean; order?: 'replies-first' | 'close-first' };
}

/** How STOR is served. */
export interface UploadBehaviour {
  /** The preliminary reply instead of `150 Ok to send data` (e.g. glftpd's `553-` lines ending in `150`). */
  preliminary?: ReplyText;
  /** As DownloadBehaviour.closeDataBeforeTls: the data connection closes before TLS, then these replies. */
  closeDataBeforeTls?: DownloadBehaviour['closeDataBeforeTls'];
}

/** One step of a scripted conversation: each received command consumes the next step. */
export interface ScriptedStep {
  /** The line (without line end) this step expects; a mismatch is recorded as a script problem and answered 503. */
  expect?: RegExp;
  /** The reply; `null` answers nothing. */
  reply: ReplyFor | null;
  /** Pause before replying. */
  delayMs?: number;
  /** Upgrade the control connection to TLS after the reply (for a scripted AUTH TLS). */
  thenUpgradeToTls?: boolean;
  /** Close the control connection after the reply. */
  thenCloseControl?: boolean;
}

export interface HostileScript {
  /** Greeting; default `220 ftpsctl hostile test server`. */
  greeting?: ReplyText;
  delivery?: ReplyDelivery;
  stall?: StallPoint;
  /**
   * Replies by verb (upper case) that replace the built-in handling entirely: the reply is
   * sent and nothing else happens, e.g. `{ AUTH: '534 Refused' }` never starts TLS.
   */
  replies?: Record<string, ReplyFor>;
  /**
   * A scripted conversation. While steps remain they decide every reply (built-in
   * handling and `replies` are skipped); once they run out the built-in handling goes on.
   */
  steps?: ScriptedStep[];
  /** FEAT lines (without the leading space); default AUTH TLS, PBSZ, PROT, EPSV, PASV, SIZE, UTF8. */
  features?: string[];
  /** IPv4 address put in 227 replies; the listener is always on 127.0.0.1. Default 127.0.0.1. */
  passiveAddress?: string;
  /**
   * Bytes RETR sends (default 100 KiB of a counting pattern), LIST/NLST send, and MLSD sends
   * (MLSD is answered only when `mlsd` is set; bytes that are not UTF-8 go as they are).
   */
  payloads?: { download?: Buffer | string; listing?: string | Buffer; mlsd?: string | Buffer };
  download?: DownloadBehaviour;
  /** How LIST, NLST and MLSD are served (default: `download.order` only). */
  listing?: DownloadBehaviour;
  upload?: UploadBehaviour;
  /**
   * PROT P data connections: `at-accept` (default) starts TLS when the client connects;
   * `withheld` never does (a server that refused the command, or closes before TLS).
   */
  dataTls?: 'at-accept' | 'withheld';
  /** Refuse (522, like vsftpd) a PROT P data connection whose TLS session was not resumed. */
  requireSessionReuse?: boolean;
}
