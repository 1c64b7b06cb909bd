import { parseDosListLine, parseListing, parseMdtm, parseMlsdLine, parseUnixListLine } from './parse-list';

const now = new Date(Date.UTC(2026, 10, 24, 23, 0));

describe('parseMlsdLine', () => {
  it('reads type, size, modify (UTC) and a name with spaces and semicolons', () => {
    expect(parseMlsdLine('type=file;size=1048576;modify=20261124120000.5;perm=adfrw; quarterly report; final.csv')).toEqual({
      name: 'quarterly report; final.csv',
      type: 'file',
      size: 1048576,
      modifiedAt: new Date(Date.UTC(2026, 10, 24, 12, 0, 0, 500)),
      permissions: 'adfrw',
    });
  });
  it('reads directories and symlinks, and skips . and ..', () => {
    expect(parseMlsdLine('type=dir;modify=20260101000000; archive')?.type).toBe('directory');
    expect(parseMlsdLine('type=OS.unix=slink:/srv/x;size=5; link')?.type).toBe('symlink');
    expect(parseMlsdLine('type=cdir;modify=20260101000000; .')).toBeUndefined();
    expect(parseMlsdLine('type=pdir;modify=20260101000000; ..')).toBeUndefined();
  });
  it('rejects a line without facts', () => {
    expect(parseMlsdLine('just a name')).toBeUndefined();
  });
});

describe('parseMdtm', () => {
  it('reads UTC times with and without milliseconds', () => {
    expect(parseMdtm('20261124235959')).toEqual(new Date(Date.UTC(2026, 10, 24, 23, 59, 59)));
    expect(parseMdtm('20261124235959.123')).toEqual(new Date(Date.UTC(2026, 10, 24, 23, 59, 59, 123)));
    expect(parseMdtm('2026-11-24')).toBeUndefined();
  });
});

describe('parseUnixListLine', () => {
  it('reads a file with a time (this year) and a name with spaces', () => {
    expect(parseUnixListLine('-rw-r--r--    1 ftp      ftp          4096 Nov 24 12:00 my file.txt', now)).toEqual({
      name: 'my file.txt',
      type: 'file',
      size: 4096,
      modifiedAt: new Date(Date.UTC(2026, 10, 24, 12, 0)),
      permissions: '-rw-r--r--',
    });
  });
  it('puts a recent date that would be in the future into last year', () => {
    expect(parseUnixListLine('-rw-r--r-- 1 u g 1 Dec 30 10:00 x', now)?.modifiedAt).toEqual(new Date(Date.UTC(2025, 11, 30, 10, 0)));
  });
  it('reads a year, a directory, a symlink and a listing without group', () => {
    expect(parseUnixListLine('drwxr-xr-x 2 ftp ftp 4096 Jan  5  2024 old', now)).toMatchObject({ type: 'directory', modifiedAt: new Date(Date.UTC(2024, 0, 5)) });
    expect(parseUnixListLine('lrwxrwxrwx 1 u g 7 Nov 24 12:00 latest -> v2/data', now)).toMatchObject({ type: 'symlink', name: 'latest', target: 'v2/data' });
    expect(parseUnixListLine('-rw-r--r-- 1 owner 12 Nov 24 12:00 nogroup.txt', now)).toMatchObject({ name: 'nogroup.txt', size: 12 });
  });
});

describe('parseDosListLine', () => {
  it('reads IIS-style directories and files', () => {
    expect(parseDosListLine('11-24-26  09:15PM       <DIR>          reports')).toEqual({ name: 'reports', type: 'directory', modifiedAt: new Date(Date.UTC(2026, 10, 24, 21, 15)) });
    expect(parseDosListLine('01-02-2025  12:05AM              1234 a b.txt')).toEqual({ name: 'a b.txt', type: 'file', size: 1234, modifiedAt: new Date(Date.UTC(2025, 0, 2, 0, 5)) });
  });
});

describe('parseListing', () => {
  it('parses LIST output, skipping total, . and .., and returns what it cannot read', () => {
    const text = 'total 8\r\ndrwxr-xr-x 2 u g 4096 Nov 24 12:00 .\r\n-rw-r--r-- 1 u g 3 Nov 24 12:00 a.txt\r\n11-24-26  09:15PM       <DIR>          dos\r\n?? garbage ??\r\n';
    const { entries, unparsed } = parseListing(text, { mlsd: false, now });
    expect(entries.map((e) => e.name)).toEqual(['a.txt', 'dos']);
    expect(unparsed).toEqual(['?? garbage ??']);
  });
  it('parses MLSD output', () => {
    const { entries, unparsed } = parseListing('type=cdir;modify=20260101000000; .\r\ntype=file;size=3; a.txt\r\n', { mlsd: true, now });
    expect(entries).toEqual([{ name: 'a.txt', type: 'file', size: 3 }]);
    expect(unparsed).toEqual([]);
  });
});
