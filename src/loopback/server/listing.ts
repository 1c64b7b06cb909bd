/** Directory listing lines: `ls -l` for LIST, facts for MLSD/MLST (RFC 3659 7). Pure. */

export interface EntryInfo {
  name: string;
  isDirectory: boolean;
  size: number;
  modified: Date;
  /** Permission bits (stat.mode & 0o777). */
  permissions: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SIX_MONTHS_MS = 182 * 24 * 60 * 60 * 1000;

function permissionText(isDirectory: boolean, permissions: number): string {
  const rwx = [6, 3, 0].map((shift) => {
    const bits = (permissions >> shift) & 7;
    return `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${bits & 1 ? 'x' : '-'}`;
  });
  return `${isDirectory ? 'd' : '-'}${rwx.join('')}`;
}

/** `-rw-r--r--    1 ftp      ftp          1234 Nov 24 10:15 name`, times in UTC; a year instead of the time when older than six months, as ls does. */
export function unixListLine(entry: EntryInfo, now: Date): string {
  const m = entry.modified;
  const day = String(m.getUTCDate()).padStart(2, ' ');
  const recent = Math.abs(now.getTime() - m.getTime()) < SIX_MONTHS_MS;
  const timeOrYear = recent
    ? `${String(m.getUTCHours()).padStart(2, '0')}:${String(m.getUTCMinutes()).padStart(2, '0')}`
    : ` ${m.getUTCFullYear()}`;
  const links = entry.isDirectory ? 2 : 1;
  return `${permissionText(entry.isDirectory, entry.permissions)} ${String(links).padStart(4)} ftp      ftp      ${String(entry.size).padStart(12)} ${MONTHS[m.getUTCMonth()]} ${day} ${timeOrYear} ${entry.name}`;
}

/** RFC 3659 time-val: YYYYMMDDHHMMSS in UTC (also MDTM's reply). */
export function ftpTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/[-T:]/g, '');
}

/** `type=file;size=5;modify=20261124101500; name` — the facts FEAT announces as `type*;size*;modify*;`. */
export function mlsxLine(entry: EntryInfo): string {
  const type = entry.isDirectory ? 'dir' : 'file';
  return `type=${type};size=${entry.size};modify=${ftpTimestamp(entry.modified)}; ${entry.name}`;
}
