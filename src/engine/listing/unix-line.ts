/**
 * One line of Unix `ls -l` style LIST output (vsftpd, proftpd, pure-ftpd, pyftpdlib,
 * FileZilla Server, Serv-U, glftpd, ...). Pure.
 *
 * Read from the stable right-hand columns: the type and mode on the left, then the first
 * `size date` pair; whatever stands between (link count, owner, group, a Windows domain
 * owner with spaces, numeric ids, a missing group column) is not needed. The name is
 * everything after the single space that follows the date: leading and trailing spaces are
 * part of it. Device files show `major, minor` instead of a size.
 */
import type { ListEntry } from './list-entry';
import { lsDate, MONTHS, utcDate } from './list-time';

/** Type, nine mode characters, an optional ACL/SELinux/extended-attribute marker (`+`, `@`, `.`). */
const MODE = /^\s*([-dlbcpsDnwf])([-rwxsStTlLA-Za-z?]{9})([+@.]?)(?=\s|\d)/;

const MONTH = `(?:${MONTHS.join('|')})`;
/**
 * ` SIZE DATE ` where DATE is `Mon dd hh:mm`, `Mon dd  yyyy`, VShell's `Mon dd, yyyy hh:mm`
 * (only with its comma: after a plain year, `hh:mm ...` belongs to the name) or ISO
 * `yyyy-mm-dd hh:mm` (`ls --time-style=long-iso`). The name follows after one space.
 */
const SIZE_AND_DATE = new RegExp(
  `\\s(\\d+|\\d+,\\s*\\d+)\\s+(?:(${MONTH})\\s+(\\d{1,2})(?:,\\s+(\\d{4})\\s+(\\d{1,2}:\\d{2})|\\s+(\\d{1,2}:\\d{2}|\\d{4}))|(\\d{4})-(\\d{2})-(\\d{2})\\s+(\\d{1,2}):(\\d{2}))\\s(.*)$`,
  'is',
);

const TYPES: Record<string, ListEntry['type']> = { '-': 'file', d: 'directory', l: 'symlink' };

export function readUnixLine(line: string, now: Date): ListEntry | undefined {
  const mode = MODE.exec(line);
  if (!mode) return undefined;
  const [whole, kind, perms] = mode;
  const rest = line.slice(whole.length);
  const match = SIZE_AND_DATE.exec(rest);
  if (!match) return undefined;
  const [
    ,
    size,
    monthName,
    day,
    vshellYear,
    vshellTime,
    yearOrTime,
    isoYear,
    isoMonth,
    isoDay,
    isoHour,
    isoMinute,
    nameAndTarget,
  ] = match;
  if (nameAndTarget === '') return undefined;
  let name = nameAndTarget;
  let target: string | undefined;
  if (kind === 'l') {
    const arrow = nameAndTarget.indexOf(' -> ');
    if (arrow > 0) [name, target] = [nameAndTarget.slice(0, arrow), nameAndTarget.slice(arrow + 4)];
  }
  const entry: ListEntry = { name, type: TYPES[kind] ?? 'unknown', permissions: `${kind}${perms}` };
  if (/^\d+$/.test(size)) entry.size = Number(size);
  let modifiedAt: Date | undefined;
  let timeText: string;
  if (vshellYear !== undefined) {
    timeText = `${monthName} ${day}, ${vshellYear} ${vshellTime}`;
    const [h, m] = vshellTime.split(':').map(Number);
    modifiedAt = utcDate(Number(vshellYear), MONTHS.indexOf(monthName.toLowerCase()) + 1, Number(day), h, m);
  } else if (monthName !== undefined) {
    timeText = `${monthName} ${day} ${yearOrTime}`;
    modifiedAt = lsDate(monthName, Number(day), yearOrTime, now);
  } else {
    timeText = `${isoYear}-${isoMonth}-${isoDay} ${isoHour}:${isoMinute}`;
    modifiedAt = utcDate(Number(isoYear), Number(isoMonth), Number(isoDay), Number(isoHour), Number(isoMinute));
  }
  if (modifiedAt) entry.modifiedAt = modifiedAt;
  else entry.timeProblem = timeText;
  if (target !== undefined) entry.target = target;
  return entry;
}
