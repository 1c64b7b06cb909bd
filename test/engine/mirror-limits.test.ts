/**
 * Mirror walks that must end (issue 12, defect 8): a folder that contains itself (LIST
 * answers the same listing for every path; MLSD names a folder by the `unique` fact of one
 * above it), depth and entry limits, and listing lines holding a CR. Everything refused is
 * reported with its reason. A fake session stands for the server, so each listing is exact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FtpsSession, Listing } from '../../src/engine/ftps-session';
import { parseListing } from '../../src/engine/listing/parse-listing';
import { planDownload } from '../../src/session/mirror';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-mirror-limits-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const now = new Date(Date.UTC(2026, 10, 30));

/** A session whose listing of each path is `listingFor(path)`; counts the listings asked for. */
function fakeSession(listingFor: (folder: string) => string, mlsd = false): FtpsSession & { listed: string[] } {
  const listed: string[] = [];
  return {
    listed,
    listing: async (folder: string): Promise<Listing> => {
      listed.push(folder);
      return { command: mlsd ? 'MLSD' : 'LIST', ...parseListing(listingFor(folder), { mlsd, now }) };
    },
  } as unknown as FtpsSession & { listed: string[] };
}

const SELF_CONTAINING =
  '-rw-r--r--    1 ftp ftp 102400 Jan 01 00:00 payload.bin\r\ndrwxr-xr-x    1 ftp ftp 4096 Jan 01 00:00 d\r\n';

describe('a folder that contains itself', () => {
  it('the reported input (LIST always answers a file and a folder d): two listings, d refused as a loop', async () => {
    const session = fakeSession(() => SELF_CONTAINING);
    const plan = await planDownload(session, '', dir);
    expect(session.listed).toEqual(['', 'd']);
    expect(plan.transfers.map((t) => t.remote)).toEqual(['payload.bin']);
    expect(plan.refused).toEqual([
      { path: 'd', reason: expect.stringContaining('its listing is identical to that of "." above it') },
    ]);
  });

  it('a loop two levels up (a/b lists what the root lists) is refused at a/b', async () => {
    const session = fakeSession((folder) =>
      folder === 'a' ? 'drwxr-xr-x 1 ftp ftp 0 Jan 01 00:00 b\r\n' : 'drwxr-xr-x 1 ftp ftp 0 Jan 01 00:00 a\r\n',
    );
    const plan = await planDownload(session, '', dir);
    expect(session.listed).toEqual(['', 'a', 'a/b']);
    expect(plan.refused).toEqual([{ path: 'a/b', reason: expect.stringContaining('identical to that of "."') }]);
  });

  it('MLSD: a folder whose unique fact is that of a folder above it is refused before it is listed', async () => {
    // Each path lists differently (so the digest rule can't fire); the unique facts repeat.
    const session = fakeSession(
      (folder) =>
        `type=file;size=1;unique=F-${folder}; f-${folder.length}\r\ntype=dir;unique=X; ${folder === '' ? 'x' : 'y'}\r\n`,
      true,
    );
    const plan = await planDownload(session, '', dir);
    expect(session.listed).toEqual(['', 'x']);
    expect(plan.refused).toEqual([
      { path: 'x/y', reason: expect.stringContaining('the server says it is "x" (same MLSD unique fact "X")') },
    ]);
  });

  it('siblings with identical content are not a loop', async () => {
    const session = fakeSession((folder) =>
      folder === ''
        ? 'drwxr-xr-x 1 ftp ftp 0 Jan 01 00:00 a\r\ndrwxr-xr-x 1 ftp ftp 0 Jan 01 00:00 b\r\n'
        : '-rw-r--r-- 1 ftp ftp 3 Jan 01 00:00 same.txt\r\n',
    );
    const plan = await planDownload(session, '', dir);
    expect(plan.refused).toEqual([]);
    expect(plan.transfers.map((t) => t.remote)).toEqual(['a/same.txt', 'b/same.txt']);
  });
});

describe('depth and entry limits', () => {
  /** Every folder holds one file and one deeper folder with its own name, so no listing repeats. */
  const deep = (folder: string): string =>
    `-rw-r--r-- 1 ftp ftp 1 Jan 01 00:00 f${folder.length}\r\ndrwxr-xr-x 1 ftp ftp 0 Jan 01 00:00 n${folder.length}\r\n`;

  it('transfer.mirrorMaxDepth: the folder below the limit is refused, not listed', async () => {
    const session = fakeSession(deep);
    const plan = await planDownload(session, '', dir, { maxDepth: 3, maxEntries: 1000 });
    expect(session.listed).toHaveLength(4);
    expect(plan.transfers).toHaveLength(4);
    expect(plan.refused).toEqual([
      {
        path: expect.stringMatching(/^n0\/n\d+\/n\d+\/n\d+$/),
        reason: expect.stringContaining('deeper than transfer.mirrorMaxDepth (3 levels)'),
      },
    ]);
  });

  it('transfer.mirrorMaxEntries: once reached, the folders not yet listed are refused', async () => {
    const session = fakeSession(deep);
    const plan = await planDownload(session, '', dir, { maxDepth: 1000, maxEntries: 7 });
    expect(plan.transfers.length).toBeLessThanOrEqual(4);
    expect(plan.refused).toHaveLength(1);
    expect(plan.refused[0]?.reason).toContain('past transfer.mirrorMaxEntries (7)');
  });
});

describe('listing lines that hold a CR', () => {
  it('parseListing keeps the line: as an entry whose name holds the CR, never dropped', () => {
    const parsed = parseListing('-rw-r--r--    1 ftp ftp 10 Jan 01 00:00 a\rb.txt\r\nnot an entry\rat all\r\n', {
      mlsd: false,
      now,
    });
    expect(parsed.entries.map((e) => e.name)).toEqual(['a\rb.txt']);
    expect(parsed.unparsed).toEqual(['not an entry\rat all']);
  });

  it('MLSD: the same', () => {
    expect(parseListing('type=file;size=3; a\rb\r\n', { mlsd: true, now }).entries.map((e) => e.name)).toEqual([
      'a\rb',
    ]);
  });

  it('mirror refuses such a name with the reason (an FTP command cannot carry it), and mirrors the rest', async () => {
    const session = fakeSession(
      () => '-rw-r--r-- 1 ftp ftp 10 Jan 01 00:00 a\rb.txt\r\n-rw-r--r-- 1 ftp ftp 10 Jan 01 00:00 ok.txt\r\n',
    );
    const plan = await planDownload(session, '', dir);
    expect(plan.transfers.map((t) => t.remote)).toEqual(['ok.txt']);
    expect(plan.refused).toEqual([
      {
        path: 'a\rb.txt',
        reason: 'refused server name "a\\rb.txt": it contains CR, LF or NUL, which an FTP command cannot carry',
      },
    ]);
  });
});
