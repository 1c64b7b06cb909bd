/** What a directory listing says about one entry, whatever format it came in. */

export interface ListEntry {
  /** Every byte of the name as the server sent it (leading and trailing spaces included). */
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'unknown';
  /** Bytes (never records or blocks: z/OS member sizes are not bytes and are left out). */
  size?: number;
  /** UTC (MLSD `modify`, EPLF), or as the server printed it (LIST, no time zone known). */
  modifiedAt?: Date;
  /** The time text the server sent when it could not be read (see ListParse.warnings). */
  timeProblem?: string;
  permissions?: string;
  /** Symlink target, when the listing shows it. */
  target?: string;
  /** MLSD `unique` fact (RFC 3659 §7.5.2): the same value means the same file or folder, whatever its path. */
  unique?: string;
}

export interface ListParse {
  entries: ListEntry[];
  /** Lines that are neither entries nor known noise (`total 12`, z/OS headers): reported, never dropped. */
  unparsed: string[];
  /** Entries whose time could not be read, one sentence each. */
  warnings: string[];
}
