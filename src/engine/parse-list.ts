/**
 * Directory listings, pure: MLSD facts (RFC 3659), and LIST output in the two formats seen in
 * practice (Unix `ls -l` and DOS/IIS). Lines that fit no format are returned, not dropped.
 */

export interface ListEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'unknown';
  size?: number;
  /** UTC (MLSD `modify`), or as the server printed it (LIST, no time zone known). */
  modifiedAt?: Date;
  permissions?: string;
  /** Symlink target, when the listing shows it. */
  target?: string;
}

export interface ListParse {
  entries: ListEntry[];
  /** Lines that are neither entries nor known noise (`total 12`). */
  unparsed: string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `type=file;size=12;modify=20261124120000; name`: undefined for `cdir`/`pdir` and malformed lines. */
export function parseMlsdLine(line: string): ListEntry | undefined {
  const space = line.indexOf(' ');
  if (space < 0) return undefined;
  const facts = new Map<string, string>();
  for (const fact of line.slice(0, space).split(';')) {
    const eq = fact.indexOf('=');
    if (eq > 0) facts.set(fact.slice(0, eq).toLowerCase(), fact.slice(eq + 1));
  }
  const name = line.slice(space + 1);
  const type = (facts.get('type') ?? '').toLowerCase();
  if (type === 'cdir' || type === 'pdir' || name === '' || facts.size === 0) return undefined;
  const entry: ListEntry = { name, type: type === 'file' ? 'file' : type === 'dir' ? 'directory' : type.includes('slink') ? 'symlink' : 'unknown' };
  const size = facts.get('size') ?? facts.get('sizd');
  if (size !== undefined && /^\d+$/.test(size)) entry.size = Number(size);
  const modified = facts.get('modify');
  if (modified) {
    const date = parseMdtm(modified);
    if (date) entry.modifiedAt = date;
  }
  const perm = facts.get('unix.mode') ?? facts.get('perm');
  if (perm !== undefined) entry.permissions = perm;
  return entry;
}

/** `YYYYMMDDHHMMSS[.sss]` in UTC (MDTM and MLSD `modify`, RFC 3659 §2.3). */
export function parseMdtm(text: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((ms ?? '0').padEnd(3, '0'))));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const UNIX_LINE = /^([-dlbcps])([-rwxsStTlL]{9})[+@.]?\s+\d+\s+(?:\S+\s+)?\S+\s+(\d+)\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}:\d{2}|\d{4})\s(.+)$/;

/** One line of Unix `ls -l` style LIST output. `now` decides the year of recent dates. */
export function parseUnixListLine(line: string, now: Date): ListEntry | undefined {
  const match = UNIX_LINE.exec(line);
  if (!match) return undefined;
  const [, kind, perms, size, monthName, day, yearOrTime, rest] = match;
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month < 0) return undefined;
  let name = rest;
  let target: string | undefined;
  if (kind === 'l' && rest.includes(' -> ')) [name, target] = [rest.slice(0, rest.indexOf(' -> ')), rest.slice(rest.indexOf(' -> ') + 4)];
  if (name === '.' || name === '..') return undefined;
  let modifiedAt: Date;
  if (yearOrTime.includes(':')) {
    const [h, m] = yearOrTime.split(':').map(Number);
    modifiedAt = new Date(Date.UTC(now.getUTCFullYear(), month, Number(day), h, m));
    // ls prints a time instead of a year for the last six months: a date "ahead" is last year's.
    if (modifiedAt.getTime() > now.getTime() + 86_400_000) modifiedAt = new Date(Date.UTC(now.getUTCFullYear() - 1, month, Number(day), h, m));
  } else {
    modifiedAt = new Date(Date.UTC(Number(yearOrTime), month, Number(day)));
  }
  const entry: ListEntry = { name, type: kind === '-' ? 'file' : kind === 'd' ? 'directory' : kind === 'l' ? 'symlink' : 'unknown', size: Number(size), modifiedAt, permissions: `${kind}${perms}` };
  if (target !== undefined) entry.target = target;
  return entry;
}

const DOS_LINE = /^(\d{2})-(\d{2})-(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?\s+(<DIR>|\d+)\s+(.+)$/;

/** One line of DOS/IIS style LIST output: `11-24-26  09:15PM  <DIR>  reports`. */
export function parseDosListLine(line: string): ListEntry | undefined {
  const match = DOS_LINE.exec(line);
  if (!match) return undefined;
  const [, mm, dd, yy, hh, mi, ampm, sizeOrDir, name] = match;
  let hour = Number(hh) % 12;
  if (!ampm) hour = Number(hh);
  else if (ampm.toUpperCase() === 'PM') hour += 12;
  const year = yy.length === 2 ? (Number(yy) < 70 ? 2000 + Number(yy) : 1900 + Number(yy)) : Number(yy);
  const entry: ListEntry = { name, type: sizeOrDir === '<DIR>' ? 'directory' : 'file', modifiedAt: new Date(Date.UTC(year, Number(mm) - 1, Number(dd), hour, Number(mi))) };
  if (sizeOrDir !== '<DIR>') entry.size = Number(sizeOrDir);
  return entry;
}

/** Parses a whole listing: MLSD when `mlsd`, else each LIST line as Unix, then DOS. */
export function parseListing(text: string, options: { mlsd: boolean; now?: Date }): ListParse {
  const now = options.now ?? new Date();
  const entries: ListEntry[] = [];
  const unparsed: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || /^total \d+$/i.test(line.trim())) continue;
    if (options.mlsd) {
      const entry = parseMlsdLine(line);
      if (entry) entries.push(entry);
      else if (!/(^|;)type=[cp]dir;/i.test(line)) unparsed.push(line);
      continue;
    }
    const entry = parseUnixListLine(line, now) ?? parseDosListLine(line);
    if (entry) entries.push(entry);
    else if (!/ \.\.?$/.test(line)) unparsed.push(line);
  }
  return { entries, unparsed };
}
