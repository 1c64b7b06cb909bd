/** One MLSD/MLST fact line (RFC 3659 §7): `fact=value;fact=value; name`. Pure. */
import type { ListEntry } from './list-entry';
import { parseTimeVal } from './list-time';

export type MlsdLine = { entry: ListEntry } | { skip: 'cdir' | 'pdir' } | { problem: string };

export function readMlsdLine(line: string): MlsdLine {
  const space = line.indexOf(' ');
  if (space < 0) return { problem: 'no space between the facts and the name' };
  const facts = new Map<string, string>();
  for (const fact of line.slice(0, space).split(';')) {
    const eq = fact.indexOf('=');
    if (eq > 0) facts.set(fact.slice(0, eq).toLowerCase(), fact.slice(eq + 1));
  }
  // RFC 3659: exactly one space, then the name, every byte of it.
  const name = line.slice(space + 1);
  const type = (facts.get('type') ?? '').toLowerCase();
  if (type === 'cdir' || type === 'pdir') return { skip: type };
  if (name === '') return { problem: 'no name after the facts' };
  if (facts.size === 0 && line.slice(0, space) !== '') return { problem: 'no facts before the name' };
  if (type === 'dir' && (name === '.' || name === '..')) return { skip: name === '.' ? 'cdir' : 'pdir' };
  const entry: ListEntry = {
    name,
    type:
      type === 'file'
        ? 'file'
        : type === 'dir'
          ? 'directory'
          : type.includes('slink') || type.includes('symlink')
            ? 'symlink'
            : 'unknown',
  };
  const size = facts.get('size') ?? facts.get('sizd');
  if (size !== undefined && /^\d+$/.test(size)) entry.size = Number(size);
  const modified = facts.get('modify');
  if (modified !== undefined) {
    const date = parseTimeVal(modified);
    if (date) entry.modifiedAt = date;
    else entry.timeProblem = modified;
  }
  const perm = facts.get('unix.mode') ?? facts.get('perm');
  if (perm !== undefined) entry.permissions = perm;
  const unique = facts.get('unique');
  if (unique !== undefined && unique !== '') entry.unique = unique;
  const slink = /slink:(.*)$/is.exec(facts.get('type') ?? '');
  if (slink && slink[1] !== '') entry.target = slink[1];
  return { entry };
}
