/**
 * Listings as servers send them: every fixture in test/fixtures/listings (real LIST/MLSD
 * output captured from vsftpd, proftpd, pure-ftpd and pyftpdlib on the testbed, and samples
 * from public projects' test suites, each citing its source), then the rules one by one.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ListingFixture } from '../../test/fixtures/listings/listing-fixture';
import { nameCodec } from './name-codec';
import { parseListing, parseMdtm, parseMlsdLine } from './parse-list';

const FIXTURES = path.join(__dirname, '../../test/fixtures/listings');
/** Shared pieces of the fixtures, not fixtures. */
const NOT_FIXTURES = new Set(['listing-fixture.ts', 'testbed-tree.ts']);

function loadFixtures(): Array<[string, ListingFixture]> {
  const found: Array<[string, ListingFixture]> = [];
  for (const file of readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.ts') && !NOT_FIXTURES.has(f))
    .sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(path.join(FIXTURES, file)) as Record<string, ListingFixture>;
    for (const [exported, fixture] of Object.entries(module))
      found.push([`${file} (${exported}): ${fixture.server}`, fixture]);
  }
  return found;
}

const fixtures = loadFixtures();
const now = new Date(Date.UTC(2026, 10, 24, 23, 0));

describe('listing fixtures', () => {
  it('covers the servers and formats of issue 11', () => {
    const names = fixtures.map(([name]) => name).join('\n');
    for (const expected of ['vsftpd', 'proftpd', 'pure-ftpd', 'pyftpdlib', 'IIS', 'glftpd', 'z/OS', 'IBM i'])
      expect(names).toContain(expected);
    expect(fixtures.every(([, f]) => f.source.length > 0)).toBe(true);
  });

  it.each(fixtures)('%s', (_name, fixture) => {
    const parsed = parseListing(nameCodec('auto').decode(fixture.bytes), {
      mlsd: fixture.command === 'MLSD',
      now: fixture.now,
    });
    expect(parsed.entries).toHaveLength(fixture.entries.length);
    parsed.entries.forEach((entry, i) => expect(entry).toMatchObject(fixture.entries[i]));
    expect(parsed.unparsed).toEqual(fixture.unparsed);
  });
});

describe('parseListing rules', () => {
  const list = (text: string) => parseListing(text, { mlsd: false, now });

  it('reports a line no format fits, keeps the entries around it, and skips total, . and ..', () => {
    const text =
      'total 8\r\ndrwxr-xr-x 2 u g 4096 Nov 24 12:00 .\r\n-rw-r--r-- 1 u g 3 Nov 24 12:00 a.txt\r\n?? garbage ??\r\n11-24-26  09:15PM       <DIR>          dos\r\n';
    const parsed = list(text);
    expect(parsed.entries.map((e) => e.name)).toEqual(['a.txt', 'dos']);
    expect(parsed.unparsed).toEqual(['?? garbage ??']);
  });

  it('keeps a CR inside a name: only the CR before LF ends a line', () => {
    expect(list('-rw-r--r-- 1 u g 3 Nov 24 12:00 odd\rname\r\n').entries[0].name).toBe('odd\rname');
  });

  it('keeps a line whose time is impossible as an entry without a time, with a warning', () => {
    const parsed = list('-rw-r--r-- 1 u g 3 Feb 30  2021 feb30.txt\r\n');
    expect(parsed.entries).toEqual([
      expect.objectContaining({ name: 'feb30.txt', size: 3, timeProblem: 'Feb 30 2021' }),
    ]);
    expect(parsed.entries[0].modifiedAt).toBeUndefined();
    expect(parsed.warnings).toEqual([
      'the time of "feb30.txt" could not be read ("Feb 30 2021"); it is listed without one',
    ]);
  });

  it('puts a recent date that would be in the future into last year', () => {
    expect(list('-rw-r--r-- 1 u g 1 Dec 30 10:00 x\r\n').entries[0].modifiedAt).toEqual(
      new Date(Date.UTC(2025, 11, 30, 10, 0)),
    );
  });

  it('does not read hh:mm after a plain year as a time: it is part of the name', () => {
    expect(list('-rw-r--r-- 1 u g 1 Nov 20  2021 09:47 meeting.txt\r\n').entries[0].name).toBe('09:47 meeting.txt');
  });

  it('reports MLSD lines that are not fact lines, and skips cdir and pdir', () => {
    const parsed = parseListing('type=cdir; .\r\ntype=pdir; ..\r\nnofacts\r\ntype=file;size=3; a b \r\n', {
      mlsd: true,
      now,
    });
    expect(parsed.entries).toEqual([{ name: 'a b ', type: 'file', size: 3 }]);
    expect(parsed.unparsed).toEqual(['nofacts']);
  });
});

describe('parseMlsdLine', () => {
  it('reads type, size, modify (UTC), perm and a name with spaces and semicolons', () => {
    expect(
      parseMlsdLine('type=file;size=1048576;modify=20261124120000.5;perm=adfrw; quarterly report; final.csv'),
    ).toEqual({
      name: 'quarterly report; final.csv',
      type: 'file',
      size: 1048576,
      modifiedAt: new Date(Date.UTC(2026, 10, 24, 12, 0, 0, 500)),
      permissions: 'adfrw',
    });
  });

  it('reads directories and symlinks (with their target), and skips . and ..', () => {
    expect(parseMlsdLine('type=dir;modify=20260101000000; archive')?.type).toBe('directory');
    expect(parseMlsdLine('type=OS.unix=slink:/srv/x;size=5; link')).toMatchObject({
      type: 'symlink',
      target: '/srv/x',
    });
    expect(parseMlsdLine('type=OS.unix=symlink;size=9; link')?.type).toBe('symlink');
    expect(parseMlsdLine('type=cdir;modify=20260101000000; .')).toBeUndefined();
    expect(parseMlsdLine('type=dir; ..')).toBeUndefined();
  });

  it('rejects a line without facts', () => {
    expect(parseMlsdLine('just a name')).toBeUndefined();
  });
});

describe('parseMdtm (RFC 3659 time-val: any number of fraction digits)', () => {
  it.each([
    ['20261124235959', new Date(Date.UTC(2026, 10, 24, 23, 59, 59))],
    ['20261124235959.1', new Date(Date.UTC(2026, 10, 24, 23, 59, 59, 100))],
    ['20261124235959.123', new Date(Date.UTC(2026, 10, 24, 23, 59, 59, 123))],
    ['20261120101500.1234', new Date(Date.UTC(2026, 10, 20, 10, 15, 0, 123))],
    ['20261120101500.123456789', new Date(Date.UTC(2026, 10, 20, 10, 15, 0, 123))],
  ])('%s', (text, date) => {
    expect(parseMdtm(text)).toEqual(date);
  });

  it.each(['2026-11-24', '2026112010150', '20261120101500.', '20261320101500', '20260230101500', '20261120251500'])(
    '%s is no time',
    (text) => {
      expect(parseMdtm(text)).toBeUndefined();
    },
  );
});

describe('U+2028 in MLSD symlink targets', () => {
  it('type=OS.unix=slink:TARGET keeps a target holding U+2028 whole', () => {
    expect(parseMlsdLine('type=OS.unix=slink:a\u2028b;size=1; link')).toMatchObject({
      name: 'link',
      target: 'a\u2028b',
    });
  });
});
