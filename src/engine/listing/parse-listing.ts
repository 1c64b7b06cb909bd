/**
 * A whole directory listing, pure: MLSD facts (RFC 3659), or LIST output line by line in
 * the formats servers send (Unix `ls -l`, DOS/IIS, EPLF, IBM i, z/OS data sets and members).
 * A line that fits no format is returned in `unparsed`, never dropped; an entry whose time
 * can't be read is kept, without a time, with a warning.
 */
import { readDosLine } from './dos-line';
import { readEplfLine } from './eplf-line';
import type { ListEntry, ListParse } from './list-entry';
import { readMlsdLine } from './mlsd-line';
import { MVS_DATASET_HEADER, MVS_MEMBER_HEADER, readMvsDatasetLine, readMvsMemberLine } from './mvs-line';
import { readOs400Line } from './os400-line';
import { readUnixLine } from './unix-line';

/** Lines that carry no entry: `total 12` from ls, the two z/OS column headers. */
function isNoise(line: string): boolean {
  return /^total \d+\s*$/i.test(line.trim()) || MVS_DATASET_HEADER.test(line) || MVS_MEMBER_HEADER.test(line);
}

export function parseListing(text: string, options: { mlsd: boolean; now?: Date }): ListParse {
  const now = options.now ?? new Date();
  const entries: ListEntry[] = [];
  const unparsed: string[] = [];
  const warnings: string[] = [];
  let afterMemberHeader = false;
  const keep = (entry: ListEntry): void => {
    if (entry.name === '.' || entry.name === '..') return;
    if (entry.timeProblem !== undefined)
      warnings.push(
        `the time of ${JSON.stringify(entry.name)} could not be read (${JSON.stringify(entry.timeProblem)}); it is listed without one`,
      );
    entries.push(entry);
  };
  // Lines end at LF; a CR before it is the line end, any other byte belongs to the line.
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    if (options.mlsd) {
      const read = readMlsdLine(line);
      if ('entry' in read) keep(read.entry);
      else if ('problem' in read) unparsed.push(line);
      continue;
    }
    if (isNoise(line)) {
      if (MVS_MEMBER_HEADER.test(line)) afterMemberHeader = true;
      continue;
    }
    const entry =
      readUnixLine(line, now) ??
      readDosLine(line) ??
      readEplfLine(line) ??
      readOs400Line(line) ??
      readMvsDatasetLine(line) ??
      readMvsMemberLine(line, afterMemberHeader);
    if (entry) keep(entry);
    else unparsed.push(line);
  }
  return { entries, unparsed, warnings };
}
