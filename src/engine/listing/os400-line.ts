/**
 * IBM i (OS/400) LIST output in the server's native format (`LISTFMT 0`): owner, size,
 * date, time, object type, name. Pure. Samples from Apache commons-net's
 * OS400FTPEntryParserTest.
 *
 * Folders: `*DIR`, `*DDIR`, `*FLR`, `*LIB`, and `*FILE` (a physical file holds members)
 * unless it is a save file; files: `*STMF`, `*DSTMF`, `*DOC`, `*MEM`, `*SAVF`. A `*DIR` name
 * ends in `/`, which is the type, not the name. A member line has no size or date. The date
 * is `yy/mm/dd` (the server default); when that is no date, `mm/dd/yy`.
 */
import type { ListEntry } from './list-entry';
import { fullYear, utcDate } from './list-time';

const OBJECT = /^(\S+)\s+(\d+)\s+(\d{2})\/(\d{2})\/(\d{2})\s+(\d{2}):(\d{2}):(\d{2})\s+(\*[A-Z]+)\s+(.+)$/s;
const MEMBER = /^(?:(\S+)\s+)?(\*MEM)\s+(.+)$/s;

const FOLDERS = new Set(['*DIR', '*DDIR', '*FLR', '*LIB', '*FILE']);
const FILES = new Set(['*STMF', '*DSTMF', '*DOC', '*MEM', '*SAVF']);

function entryFor(objectType: string, rawName: string): ListEntry {
  let name = rawName.replace(/\s+$/, '');
  if (objectType === '*DIR' || objectType === '*DDIR' || objectType === '*FLR' || objectType === '*LIB')
    name = name.replace(/\/$/, '');
  // Member and NET-573 lines name a path: the entry is its last part.
  if (name.includes('/')) name = name.slice(name.lastIndexOf('/') + 1);
  const saveFile = objectType === '*FILE' && /\.SAVF$/i.test(name);
  const type: ListEntry['type'] =
    saveFile || FILES.has(objectType) ? 'file' : FOLDERS.has(objectType) ? 'directory' : 'unknown';
  return { name, type };
}

export function readOs400Line(line: string): ListEntry | undefined {
  const object = OBJECT.exec(line);
  if (object) {
    const [, , size, a, b, c, h, mi, s, objectType, rawName] = object;
    const entry = entryFor(objectType, rawName);
    if (entry.name === '') return undefined;
    entry.size = Number(size);
    const date =
      utcDate(fullYear(a), Number(b), Number(c), Number(h), Number(mi), Number(s)) ??
      utcDate(fullYear(c), Number(a), Number(b), Number(h), Number(mi), Number(s));
    if (date) entry.modifiedAt = date;
    else entry.timeProblem = `${a}/${b}/${c} ${h}:${mi}:${s}`;
    return entry;
  }
  const member = MEMBER.exec(line.trim());
  if (member) {
    const entry = entryFor(member[2], member[3]);
    return entry.name === '' ? undefined : entry;
  }
  return undefined;
}
