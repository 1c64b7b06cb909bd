/**
 * Property tests of the LIST / MLSD listing parser (issue 12's standing suite): any listing
 * gives entries, unparsed lines and warnings (never a throw); no line is dropped without a
 * report; a name comes back byte for byte; nothing returned outgrows the lines given.
 * FTPSCTL_FUZZ_RUNS sets the cases per property (`npm run fuzz`: 100,000).
 */
import fc from 'fast-check';
import { FUZZ_RUNS, fuzzParameters, fuzzTimeout, hostileText } from '../../test/hardening/fuzz';
import { MVS_DATASET_HEADER, MVS_MEMBER_HEADER } from './listing/mvs-line';
import { parseListing } from './parse-list';

const now = new Date(Date.UTC(2026, 10, 24, 23, 0));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A file name as a server may list it: spaces (leading and trailing), arrows, semicolons, non-ASCII; no line end. */
const fileName = hostileText({
  maxLength: 6,
  alphabet: [
    ' ',
    'a',
    'B',
    '.',
    '-',
    '->',
    ' -> ',
    ';',
    '=',
    'é',
    '日本',
    '😀',
    '\t',
    '1',
    'Nov 24 12:00',
    'type=file;',
  ],
})
  .map((t) => t.replace(/[\r\n]/g, ''))
  .filter((t) => t.trim() !== '' && t !== '.' && t !== '..');

const unixLine = fc
  .record({
    kind: fc.constantFrom('-', 'd'),
    size: fc.nat({ max: 2 ** 40 }),
    month: fc.constantFrom(...MONTHS),
    day: fc.integer({ min: 1, max: 28 }),
    when: fc.oneof(fc.constantFrom('12:00', '23:59'), fc.integer({ min: 1990, max: 2025 }).map(String)),
    name: fileName,
  })
  .map((r) => ({
    ...r,
    line: `${r.kind}rw-r--r--    1 ftp      ftp      ${String(r.size).padStart(8)} ${r.month} ${String(r.day).padStart(2)} ${r.when.padStart(5)} ${r.name}`,
  }));

const mlsdLine = fc
  .record({ type: fc.constantFrom('file', 'dir'), size: fc.nat({ max: 2 ** 40 }), name: fileName })
  .map((r) => ({ ...r, line: `type=${r.type};size=${r.size};modify=20261124120000;UNIX.mode=0644; ${r.name}` }));

const anyLine = fc.oneof(
  unixLine.map((u) => u.line),
  mlsdLine.map((m) => m.line),
  hostileText({ maxLength: 30 }),
  fc.constantFrom(
    'total 12',
    '11-24-26  12:00PM       <DIR>          sub',
    '+i8388621.29609,m824255902,/,\tdev',
    'QSYS           77824 02/23/00 15:09:55 *DIR       QSYS.LIB/',
  ),
);
const ending = fc.constantFrom('\r\n', '\n', '\r', '');

/** A line the parser may skip without a report: blank, a known header, or the "." and ".." entries. */
function mayBeSkipped(line: string): boolean {
  return (
    line.trim() === '' ||
    /^total \d+\s*$/i.test(line.trim()) ||
    MVS_DATASET_HEADER.test(line) ||
    MVS_MEMBER_HEADER.test(line) ||
    /(^|[\s;/])\.\.?$/.test(line)
  );
}

describe(`directory listings under fuzzing (${FUZZ_RUNS} cases per property)`, () => {
  it(
    'parseListing never throws; entries and unparsed lines never outnumber the lines; unparsed lines are lines given',
    () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(anyLine, ending), { maxLength: 12 }), fc.boolean(), (parts, mlsd) => {
          const text = parts.map(([l, e]) => l + e).join('');
          const parsed = parseListing(text, { mlsd, now });
          const lines = text.split('\n');
          expect(parsed.entries.length + parsed.unparsed.length).toBeLessThanOrEqual(lines.length);
          for (const unparsed of parsed.unparsed)
            expect(lines.some((l) => l === unparsed || l === `${unparsed}\r`)).toBe(true);
          for (const entry of parsed.entries) {
            expect(entry.name).not.toContain('\n');
            expect(entry.name).not.toBe('');
            if (entry.size !== undefined) expect(Number.isSafeInteger(entry.size) && entry.size >= 0).toBe(true);
            if (entry.modifiedAt !== undefined) expect(Number.isNaN(entry.modifiedAt.getTime())).toBe(false);
          }
          expect(parsed.warnings.length).toBeLessThanOrEqual(parsed.entries.length);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(2),
  );

  it(
    'no line is dropped without a report: each one is an entry or an unparsed line (CR inside a line included)',
    () => {
      const line = fc
        .oneof(
          anyLine,
          fc.tuple(anyLine, anyLine).map(([a, b]) => `${a}\r${b}`),
        )
        .map((l) => l.replace(/\n/g, ''));
      fc.assert(
        fc.property(line, fc.boolean(), (single, mlsd) => {
          const parsed = parseListing(`${single}\r\n`, { mlsd, now });
          if (mayBeSkipped(single)) return;
          expect(parsed.entries.length + parsed.unparsed.length).toBe(1);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(2),
  );

  it(
    'a Unix ls -l line gives back its name byte for byte, its type and its size',
    () => {
      fc.assert(
        fc.property(unixLine, ({ kind, size, name, line }) => {
          const parsed = parseListing(`${line}\r\n`, { mlsd: false, now });
          expect(parsed.entries).toEqual([
            expect.objectContaining({ name, type: kind === 'd' ? 'directory' : 'file', size }),
          ]);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(2),
  );

  it(
    'an MLSD line gives back its name byte for byte (after exactly one space), its type and its size',
    () => {
      fc.assert(
        fc.property(mlsdLine, ({ type, size, name, line }) => {
          const parsed = parseListing(`${line}\r\n`, { mlsd: true, now });
          expect(parsed.entries).toEqual([
            expect.objectContaining({ name, type: type === 'dir' ? 'directory' : 'file', size }),
          ]);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(2),
  );
});
