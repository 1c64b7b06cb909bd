/**
 * Directory listings and RFC 3659 times: the public face of `./listing/` (one file per
 * format). Kept as the import path the engine and the commands use.
 */
export type { ListEntry, ListParse } from './listing/list-entry';
export { parseListing } from './listing/parse-listing';
export { parseTimeVal } from './listing/list-time';
import type { ListEntry } from './listing/list-entry';
import { parseTimeVal } from './listing/list-time';
import { readMlsdLine } from './listing/mlsd-line';

/** `type=file;size=12;modify=20261124120000; name`: undefined for `cdir`/`pdir` and malformed lines. */
export function parseMlsdLine(line: string): ListEntry | undefined {
  const read = readMlsdLine(line);
  return 'entry' in read ? read.entry : undefined;
}

/** `YYYYMMDDHHMMSS[.F+]` in UTC (MDTM, RFC 3659 §3: any number of fraction digits). */
export function parseMdtm(text: string): Date | undefined {
  return parseTimeVal(text);
}
