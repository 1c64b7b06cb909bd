/**
 * EPLF (D. J. Bernstein's Easily Parsed LIST Format): `+facts,\tname`, facts `/` (folder),
 * `r` (file), `s<bytes>`, `m<seconds since 1970 UTC>`. Pure.
 */
import type { ListEntry } from './list-entry';

export function readEplfLine(line: string): ListEntry | undefined {
  if (!line.startsWith('+')) return undefined;
  const tab = line.indexOf('\t');
  if (tab < 0 || tab === line.length - 1) return undefined;
  const entry: ListEntry = { name: line.slice(tab + 1), type: 'unknown' };
  for (const fact of line.slice(1, tab).split(',')) {
    if (fact === '/') entry.type = 'directory';
    else if (fact === 'r') entry.type = entry.type === 'unknown' ? 'file' : entry.type;
    else if (/^s\d+$/.test(fact)) entry.size = Number(fact.slice(1));
    else if (/^m\d+$/.test(fact)) entry.modifiedAt = new Date(Number(fact.slice(1)) * 1000);
    else if (/^up[0-7]+$/.test(fact)) entry.permissions = fact.slice(2);
  }
  return entry;
}
