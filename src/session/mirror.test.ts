/**
 * Mirror and issue 11: listing lines no format fits are failed files (with the line), a time
 * that can't be read makes the mirror compare sizes (with a warning), and every failed file
 * is recorded as a failed transfer.
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FtpsSession, Listing } from '../engine/ftps-session';
import { parseListing } from '../engine/parse-list';
import { FtpsctlError } from '../errors';
import { planDownload, runMirror, type MirrorWorker } from './mirror';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-mirror-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const now = new Date(Date.UTC(2026, 10, 30));

/** A session whose listing is `text` (MLSD when `mlsd`) and whose downloads fail with `getError`, if given. */
function fakeSession(text: string, mlsd: boolean, getError?: Error): FtpsSession {
  return {
    listing: async (): Promise<Listing> => ({ command: mlsd ? 'MLSD' : 'LIST', ...parseListing(text, { mlsd, now }) }),
    get: async () => {
      throw getError ?? new Error('not expected');
    },
    modifiedAt: async () => undefined,
    mkdir: async () => undefined,
  } as unknown as FtpsSession;
}

function recordingWorker(
  session: FtpsSession,
  failures: Array<{ remote: string; code: string; listingLine?: string }>,
): MirrorWorker {
  return {
    session,
    record: async () => undefined,
    recordFailure: async ({ item, error, listingLine }) => {
      failures.push({
        remote: item.remote,
        code: (error as FtpsctlError).code,
        ...(listingLine !== undefined ? { listingLine } : {}),
      });
    },
    end: async () => undefined,
  };
}

describe('mirror and unreadable listing lines (issue 11 fault 2)', () => {
  it('counts a line no format fits as a failed file, with the line, and records it', async () => {
    const session = fakeSession('this line is no entry\r\n', false);
    const plan = await planDownload(session, 'in', dir);
    expect(plan.unreadable).toEqual([{ folder: 'in', line: 'this line is no entry' }]);
    const failures: Array<{ remote: string; code: string; listingLine?: string }> = [];
    const report = await runMirror(plan, recordingWorker(session, failures), {
      parallel: 1,
      resume: false,
      makeFolder: (folder) => session.mkdir(folder),
      openWorker: async () => Promise.reject(new Error('unused')),
    });
    expect(report.failed).toEqual([
      {
        path: 'in',
        code: 'FTPSCTL_ERR_PROTOCOL',
        message:
          'the listing of in has a line ftpsctl cannot read, so its entry was not mirrored: "this line is no entry"',
        line: 'this line is no entry',
      },
    ]);
    expect(failures).toEqual([{ remote: 'in', code: 'FTPSCTL_ERR_PROTOCOL', listingLine: 'this line is no entry' }]);
  });
});

describe('mirror and times it cannot read (issue 11 fault 7)', () => {
  it('compares sizes: same size is unchanged, and the warning says so', async () => {
    writeFileSync(path.join(dir, 'a.txt'), 'abc');
    const session = fakeSession('type=file;size=3;modify=2026112010150; a.txt\r\n', true);
    const plan = await planDownload(session, '', dir);
    expect(plan.skipped).toEqual(['a.txt']);
    expect(plan.transfers).toEqual([]);
    expect(plan.warnings).toEqual([
      '.: the time of "a.txt" could not be read ("2026112010150"); it is listed without one; compared by size',
    ]);
  });

  it('fetches a file whose size differs', async () => {
    writeFileSync(path.join(dir, 'a.txt'), 'abcd');
    const plan = await planDownload(fakeSession('type=file;size=3;modify=bad; a.txt\r\n', true), '', dir);
    expect(plan.transfers.map((t) => t.remote)).toEqual(['a.txt']);
  });

  it('with a readable time of any fraction, an unchanged file is skipped by size and second', async () => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'abc');
    const when = new Date(Date.UTC(2026, 10, 20, 10, 15, 0));
    utimesSync(file, when, when);
    const plan = await planDownload(
      fakeSession('type=file;size=3;modify=20261120101500.1234; a.txt\r\n', true),
      '',
      dir,
    );
    expect(plan.skipped).toEqual(['a.txt']);
  });
});

describe('failed transfers are recorded (issue 11 fault 11)', () => {
  it('a download that fails is recorded with its error code; the mirror goes on with the next file', async () => {
    const refused = new FtpsctlError('FTPSCTL_ERR_COMMAND_FAILED', 'h refused RETR: 550 No such file');
    const session = fakeSession(
      'type=file;size=3;modify=20261120101500; a.txt\r\ntype=file;size=3;modify=20261120101500; b.txt\r\n',
      true,
      refused,
    );
    const failures: Array<{ remote: string; code: string }> = [];
    const plan = await planDownload(session, '', dir);
    const report = await runMirror(plan, recordingWorker(session, failures), {
      parallel: 1,
      resume: false,
      makeFolder: (folder) => session.mkdir(folder),
      openWorker: async () => Promise.reject(new Error('unused')),
    });
    expect(report.failed.map((f) => f.path)).toEqual(['a.txt', 'b.txt']);
    expect(failures).toEqual([
      { remote: 'a.txt', code: 'FTPSCTL_ERR_COMMAND_FAILED' },
      { remote: 'b.txt', code: 'FTPSCTL_ERR_COMMAND_FAILED' },
    ]);
  });

  it('files never tried because the connection is gone are recorded too', async () => {
    const closed = new FtpsctlError('FTPSCTL_ERR_CLOSED', 'h ended the session when answering RETR: 421 Timeout');
    const session = fakeSession('type=file;size=3; a.txt\r\ntype=file;size=3; b.txt\r\n', true, closed);
    const failures: Array<{ remote: string; code: string }> = [];
    const plan = await planDownload(session, '', dir);
    const report = await runMirror(plan, recordingWorker(session, failures), {
      parallel: 1,
      resume: false,
      makeFolder: (folder) => session.mkdir(folder),
      openWorker: async () => Promise.reject(new Error('unused')),
    });
    expect(report.failed.map((f) => [f.path, f.code])).toEqual([
      ['a.txt', 'FTPSCTL_ERR_CLOSED'],
      ['b.txt', 'FTPSCTL_ERR_CLOSED'],
    ]);
    expect(failures.map((f) => f.remote)).toEqual(['a.txt', 'b.txt']);
  });
});
