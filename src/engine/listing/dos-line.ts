/**
 * One line of DOS-style LIST output (IIS "MS-DOS" directory style, Windows CE, FileZilla's
 * samples of other Windows servers). Pure.
 *
 * IIS writes fixed columns: the date, the time, then `<DIR>` and exactly ten spaces, or the
 * size right-aligned and exactly one space; the name is everything after that, so a name
 * that starts with spaces keeps them (`05-22-22  08:43AM                   31  leading.txt`
 * is " leading.txt"). A server that puts fewer spaces after `<DIR>` gets its name from the
 * first non-space.
 */
import type { ListEntry } from './list-entry';
import { fullYear, utcDate } from './list-time';

const DOS_LINE =
  /^(?:(\d{2})-(\d{2})-(\d{2}|\d{4})|(\d{4})-(\d{2})-(\d{2}))\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?\s+(?:<DIR>(.*)|(\d[\d,]*) (.*))$/s;

export function readDosLine(line: string): ListEntry | undefined {
  const match = DOS_LINE.exec(line);
  if (!match) return undefined;
  const [, mm, dd, yy, isoY, isoM, isoD, hh, mi, ampm, afterDir, size, fileName] = match;
  let name: string;
  if (afterDir !== undefined) {
    name = afterDir.startsWith(' '.repeat(10)) ? afterDir.slice(10) : afterDir.replace(/^ +/, '');
  } else {
    name = fileName;
  }
  if (name === '' || name === '.' || name === '..') return undefined;
  let hour = Number(hh);
  if (ampm) hour = (hour % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
  const modifiedAt =
    isoY !== undefined
      ? utcDate(Number(isoY), Number(isoM), Number(isoD), hour, Number(mi))
      : utcDate(fullYear(yy), Number(mm), Number(dd), hour, Number(mi));
  const entry: ListEntry = { name, type: afterDir !== undefined ? 'directory' : 'file' };
  if (size !== undefined) entry.size = Number(size.replace(/,/g, ''));
  if (modifiedAt) entry.modifiedAt = modifiedAt;
  else
    entry.timeProblem = `${isoY !== undefined ? `${isoY}-${isoM}-${isoD}` : `${mm}-${dd}-${yy}`} ${hh}:${mi}${ampm ?? ''}`;
  return entry;
}
