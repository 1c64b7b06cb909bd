/**
 * A mirror never follows a local link inside its target tree (reported: `LOCALDIR/sub ->
 * ../outside` made the remote `sub/y` land in `outside/y`), never replaces a special file,
 * and a local root that is missing (uploads) or not a folder is FTPSCTL_ERR_LOCAL_FILE,
 * never a raw ENOENT.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FtpsSession, Listing, TransferResult } from '../engine/ftps-session';
import { parseListing } from '../engine/parse-list';
import { SessionError } from '../errors';
import { planDownload, planUpload, runMirror, type MirrorWorker } from './mirror';

let dir: string;
let local: string;
let outside: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-mirror-links-'));
  local = path.join(dir, 'local');
  outside = path.join(dir, 'outside');
  mkdirSync(local);
  mkdirSync(outside);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const now = new Date(Date.UTC(2026, 10, 30));

/** A remote tree as MLSD listings by folder; RETR writes "remote <path>" to the part file. */
function fakeSession(listings: Record<string, string>): FtpsSession {
  return {
    listing: async (folder: string): Promise<Listing> => ({
      command: 'MLSD',
      ...parseListing(listings[folder] ?? '', { mlsd: true, now }),
    }),
    stat: async () => ({ type: 'directory', name: '.' }),
    modifiedAt: async () => undefined,
    get: async (remotePath: string, part: string): Promise<TransferResult> => {
      writeFileSync(part, `remote ${remotePath}`);
      return {
        direction: 'download',
        remotePath,
        bytes: 1,
        offset: 0,
        durationMs: 0,
        verifiedBy: 'size',
        encrypted: true,
        sessionResumed: true,
      };
    },
    put: async () => {
      throw new Error('not expected');
    },
    mkdir: async () => undefined,
  } as unknown as FtpsSession;
}

const tree = { '': 'type=dir; sub\r\ntype=file;size=12; f.txt\r\n', sub: 'type=file;size=12; y\r\n' };

function worker(session: FtpsSession): MirrorWorker {
  return { session, record: async () => undefined, recordFailure: async () => undefined, end: async () => undefined };
}

async function mirrorDown(session: FtpsSession) {
  const plan = await planDownload(session, '', local);
  return runMirror(plan, worker(session), {
    parallel: 1,
    resume: false,
    makeFolder: (folder) => session.mkdir(folder),
    openWorker: async () => Promise.reject(new Error('unused')),
  });
}

describe('download mirror and local links', () => {
  it('refuses a symlinked folder (the reported LOCALDIR/sub -> ../outside) and writes nothing outside', async () => {
    symlinkSync('../outside', path.join(local, 'sub'));
    const report = await mirrorDown(fakeSession(tree));
    expect(report.refused).toEqual([
      {
        path: 'sub',
        reason: `refused folder "sub": the local ${path.join(local, 'sub')} is a symbolic link (to ../outside), which a mirror never follows; left untouched`,
      },
    ]);
    expect(report.transferred.map((t) => t.remotePath)).toEqual(['f.txt']);
    expect(readdirSync(outside)).toEqual([]);
    expect(lstatSync(path.join(local, 'sub')).isSymbolicLink()).toBe(true);
  });

  it('refuses a symlinked file, leaving the link and its target untouched', async () => {
    writeFileSync(path.join(outside, 'f.txt'), 'keep');
    symlinkSync('../outside/f.txt', path.join(local, 'f.txt'));
    const report = await mirrorDown(fakeSession(tree));
    expect(report.refused).toEqual([
      {
        path: 'f.txt',
        reason: `refused file "f.txt": the local ${path.join(local, 'f.txt')} is a symbolic link (to ../outside/f.txt), which a mirror never follows; left untouched`,
      },
    ]);
    expect(readFileSync(path.join(outside, 'f.txt'), 'utf8')).toBe('keep');
    expect(lstatSync(path.join(local, 'f.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(local, 'sub', 'y'), 'utf8')).toBe('remote sub/y');
  });

  it('refuses a symlinked folder deeper down, and a symlink to a file in a real subfolder', async () => {
    const listings = {
      '': 'type=dir; a\r\n',
      a: 'type=dir; b\r\ntype=file;size=1; z\r\n',
      'a/b': 'type=file;size=1; w\r\n',
    };
    mkdirSync(path.join(local, 'a'));
    symlinkSync(outside, path.join(local, 'a', 'b'));
    symlinkSync(path.join(outside, 'z'), path.join(local, 'a', 'z'));
    const report = await mirrorDown(fakeSession(listings));
    expect(report.refused.map((r) => r.path)).toEqual(['a/b', 'a/z']);
    expect(report.transferred).toEqual([]);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses special files and the wrong kind in the way: a FIFO, a file where a folder goes, a folder where a file goes', async () => {
    execFileSync('mkfifo', [path.join(local, 'f.txt')]);
    writeFileSync(path.join(local, 'sub'), 'a file');
    const report = await mirrorDown(fakeSession(tree));
    expect(report.refused.map((r) => r.reason)).toEqual([
      `refused folder "sub": the local ${path.join(local, 'sub')} is a regular file, not a folder; left untouched`,
      `refused file "f.txt": the local ${path.join(local, 'f.txt')} is a FIFO (named pipe), not a regular file; left untouched`,
    ]);
    rmSync(path.join(local, 'sub'));
    rmSync(path.join(local, 'f.txt'));
    mkdirSync(path.join(local, 'f.txt'));
    const again = await mirrorDown(fakeSession(tree));
    expect(again.refused.map((r) => r.reason)).toEqual([
      `refused file "f.txt": the local ${path.join(local, 'f.txt')} is a folder, not a regular file; left untouched`,
    ]);
  });

  it('checks again before writing: a folder swapped for a link after the plan fails that file (FTPSCTL_ERR_LOCAL_FILE), nothing lands outside', async () => {
    const session = fakeSession(tree);
    const plan = await planDownload(session, '', local);
    expect(plan.transfers.map((t) => t.remote)).toEqual(['sub/y', 'f.txt']);
    symlinkSync('../outside', path.join(local, 'sub'));
    const report = await runMirror(plan, worker(session), {
      parallel: 1,
      resume: false,
      makeFolder: (folder) => session.mkdir(folder),
      openWorker: async () => Promise.reject(new Error('unused')),
    });
    expect(report.failed).toEqual([
      {
        path: 'sub/y',
        code: 'FTPSCTL_ERR_LOCAL_FILE',
        message: `refused to write into ${path.join(local, 'sub')}: it is a symbolic link (to ../outside), not a folder, and a mirror never follows links or replaces what is in the way; left untouched`,
      },
    ]);
    expect(report.transferred.map((t) => t.remotePath)).toEqual(['f.txt']);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('accepts a root that is itself a link to a folder (the user named it)', async () => {
    const root = path.join(dir, 'root-link');
    symlinkSync(local, root);
    const session = fakeSession(tree);
    const plan = await planDownload(session, '', root);
    const report = await runMirror(plan, worker(session), {
      parallel: 1,
      resume: false,
      makeFolder: (folder) => session.mkdir(folder),
      openWorker: async () => Promise.reject(new Error('unused')),
    });
    expect(report.failed).toEqual([]);
    expect(readFileSync(path.join(local, 'sub', 'y'), 'utf8')).toBe('remote sub/y');
  });

  it.each([
    ['a regular file', (p: string) => writeFileSync(p, 'x'), 'it is a regular file, not a folder'],
    ['a FIFO', (p: string) => execFileSync('mkfifo', [p]), 'it is a FIFO (named pipe), not a folder'],
    ['a dangling link', (p: string) => symlinkSync(path.join(dir, 'nowhere'), p), 'a symbolic link'],
  ])('refuses a root that is %s with FTPSCTL_ERR_LOCAL_FILE naming it', async (_kind, make, words) => {
    const root = path.join(dir, 'root');
    make(root);
    const error = await planDownload(fakeSession(tree), '', root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe('FTPSCTL_ERR_LOCAL_FILE');
    expect((error as SessionError).message).toContain(root);
    expect((error as SessionError).message).toContain(words);
    expect(existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });
});

describe('upload mirror and local paths', () => {
  it('refuses a missing local folder with FTPSCTL_ERR_LOCAL_FILE naming it (was: unexpected error ENOENT scandir, exit 1)', async () => {
    const missing = path.join(dir, 'nodir');
    const error = await planUpload(fakeSession({}), missing, 'remote').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionError);
    expect((error as SessionError).code).toBe('FTPSCTL_ERR_LOCAL_FILE');
    expect((error as SessionError).message).toBe(
      `cannot read the local folder ${missing}: it does not exist: create it, or check the path (an upload mirror sends an existing local folder)`,
    );
  });

  it('refuses a local root that is a file', async () => {
    const file = path.join(dir, 'file');
    writeFileSync(file, 'x');
    const error = await planUpload(fakeSession({}), file, 'remote').catch((e: unknown) => e);
    expect((error as SessionError).code).toBe('FTPSCTL_ERR_LOCAL_FILE');
    expect((error as SessionError).message).toBe(
      `cannot mirror from ${file}: it is a regular file, not a folder; left untouched`,
    );
  });

  it('refuses symlinked folders and files inside the tree, with the reason, and sends the rest', async () => {
    writeFileSync(path.join(outside, 'secret'), 'secret');
    writeFileSync(path.join(local, 'ok.txt'), 'ok');
    symlinkSync('../outside', path.join(local, 'linkdir'));
    symlinkSync('../outside/secret', path.join(local, 'linkfile'));
    execFileSync('mkfifo', [path.join(local, 'pipe')]);
    const plan = await planUpload(fakeSession({}), local, 'remote');
    expect(plan.transfers.map((t) => t.local)).toEqual([path.join(local, 'ok.txt')]);
    expect(plan.refused.map((r) => r.reason).sort()).toEqual([
      `refused ${JSON.stringify(path.join(local, 'linkdir'))}: it is a symbolic link (to ../outside); only regular files and folders are mirrored, links are never followed`,
      `refused ${JSON.stringify(path.join(local, 'linkfile'))}: it is a symbolic link (to ../outside/secret); only regular files and folders are mirrored, links are never followed`,
      `refused ${JSON.stringify(path.join(local, 'pipe'))}: it is a FIFO (named pipe); only regular files and folders are mirrored, links are never followed`,
    ]);
  });

  it('refuses an unreadable subfolder instead of failing the whole mirror', async () => {
    // Tests run as root, which reads any folder: a subfolder that vanishes between the parent's readdir and its own is the same case.
    mkdirSync(path.join(local, 'sub'));
    const session = fakeSession({ remote: 'type=dir; sub\r\n' });
    const realListing = session.listing.bind(session);
    (session as unknown as { listing: FtpsSession['listing'] }).listing = async (folder: string) => {
      if (folder === 'remote/sub') rmSync(path.join(local, 'sub'), { recursive: true, force: true });
      return realListing(folder);
    };
    const plan = await planUpload(session, local, 'remote');
    expect(plan.refused).toEqual([
      {
        path: path.join(local, 'sub'),
        reason: `refused folder ${JSON.stringify(path.join(local, 'sub'))}: cannot read it: it or its folder does not exist (ENOENT); not mirrored`,
      },
    ]);
  });
});
