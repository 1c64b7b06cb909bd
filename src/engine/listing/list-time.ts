/** Times in listings: RFC 3659 `time-val` (MDTM, MLSD `modify`) and the calendar checks every format shares. Pure. */

/** A UTC date from its parts, or undefined when a part is out of range (no silent roll-over: Feb 30 is not Mar 2). */
export function utcDate(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms));
  if (year < 100) date.setUTCFullYear(year);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date;
}

const TIME_VAL = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?$/;

/**
 * `YYYYMMDDHHMMSS[.F+]` in UTC (RFC 3659 §2.3: any number of fraction digits; milliseconds
 * are kept, further digits dropped). Undefined when the text is not such a time.
 */
export function parseTimeVal(text: string): Date | undefined {
  const match = TIME_VAL.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction] = match;
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return utcDate(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms);
}

export const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** `Nov 20 10:15` (no year: `ls` shows times for the last six months) or `Nov 20  2021`; a date "ahead" of now is last year's. */
export function lsDate(monthName: string, day: number, yearOrTime: string, now: Date): Date | undefined {
  const month = MONTHS.indexOf(monthName.toLowerCase()) + 1;
  if (month === 0) return undefined;
  const time = /^(\d{1,2}):(\d{2})$/.exec(yearOrTime);
  if (!time) return utcDate(Number(yearOrTime), month, day);
  const [h, m] = [Number(time[1]), Number(time[2])];
  const thisYear = utcDate(now.getUTCFullYear(), month, day, h, m);
  if (thisYear && thisYear.getTime() <= now.getTime() + 86_400_000) return thisYear;
  return utcDate(now.getUTCFullYear() - 1, month, day, h, m) ?? thisYear;
}

/** Two-digit years: 70-99 are 19xx, 00-69 20xx (as FileZilla and commons-net read DOS listings). */
export function fullYear(text: string): number {
  const n = Number(text);
  return text.length <= 2 ? (n < 70 ? 2000 + n : 1900 + n) : n;
}
