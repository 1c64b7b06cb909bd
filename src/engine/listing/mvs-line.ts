/**
 * z/OS (MVS) LIST output, as IBM's FTP server sends it for a data set level and for the
 * members of a partitioned data set (PDS). Pure. Reference: z/OS Communications Server IP
 * User's Guide, "LIST" output; samples from Apache commons-net's MVSFTPEntryParserTest.
 *
 * - Data sets: `Volume Unit Referred Ext Used Recfm Lrecl BlkSz Dsorg Dsname`; `PO`/`PO-E`
 *   (partitioned) are folders, everything else a file. The `Referred` date is the last
 *   reference, not a modification, so no time is kept. `Migrated` (HSM) data sets are listed
 *   as `unknown`: they need a recall before they can be read.
 * - Members: `Name VV.MM Created Changed Size Init Mod Id`; `Changed` is the time. `Size` is
 *   a count of records, not bytes, so it is not a size. A member without ISPF statistics is
 *   its name alone, which is only read so after a member header.
 */
import type { ListEntry } from './list-entry';
import { utcDate } from './list-time';

export const MVS_DATASET_HEADER =
  /^Volume\s+Unit\s+Referred\s+Ext\s+Used\s+Recfm\s+Lrecl\s+BlkSz\s+Dsorg\s+Dsname\s*$/i;
export const MVS_MEMBER_HEADER = /^\s*Name\s+VV\.MM\s+Created\s+Changed\s+Size\s+Init\s+Mod\s+Id\s*$/i;

const DATASET =
  /^(\S+)\s+(\S+)\s+(\d{4}\/\d{2}\/\d{2}|\*\*NONE\*\*)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s*$/;
const MIGRATED = /^Migrated\s+(\S+)\s*$/;
const PSEUDO_DIRECTORY = /^Pseudo Directory\s+(\S+)\s*$/;
const MEMBER =
  /^\s*(\S+)\s+\d{2}\.\d{2}\s+\d{4}\/\d{2}\/\d{2}\s+(\d{4})\/(\d{2})\/(\d{2})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+\d+\s+\d+\s+\d+\s+\S+\s*$/;

export function readMvsDatasetLine(line: string): ListEntry | undefined {
  const dataset = DATASET.exec(line);
  if (dataset) {
    const dsorg = dataset[9].toUpperCase();
    return { name: dataset[10], type: dsorg === 'PO' || dsorg === 'PO-E' ? 'directory' : 'file' };
  }
  const migrated = MIGRATED.exec(line);
  if (migrated) return { name: migrated[1], type: 'unknown' };
  const pseudo = PSEUDO_DIRECTORY.exec(line);
  if (pseudo) return { name: pseudo[1], type: 'directory' };
  return undefined;
}

export function readMvsMemberLine(line: string, afterMemberHeader: boolean): ListEntry | undefined {
  const member = MEMBER.exec(line);
  if (member) {
    const [, name, y, mo, d, h, mi, s] = member;
    const entry: ListEntry = { name, type: 'file' };
    const date = utcDate(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s ?? 0));
    if (date) entry.modifiedAt = date;
    else entry.timeProblem = `${y}/${mo}/${d} ${h}:${mi}${s ? `:${s}` : ''}`;
    return entry;
  }
  // No ISPF statistics: the member name alone (blank-padded to the record length).
  const bare = /^(\S+)\s*$/.exec(line);
  return afterMemberHeader && bare ? { name: bare[1], type: 'file' } : undefined;
}
