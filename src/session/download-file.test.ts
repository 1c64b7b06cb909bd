/**
 * downloadFile never writes through, or renames over, anything but a regular file: a symbolic
 * link, FIFO, device, socket or folder at LOCAL or at LOCAL.ftpsctl-part is refused with
 * FTPSCTL_ERR_LOCAL_FILE before RETR, and LOCAL again right before the rename.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FtpsSession, TransferResult } from '../engine/ftps-session';
import { SessionError } from '../errors';
import { downloadFile, partFileFor, PART_SUFFIX } from './download-file';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-download-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A session whose RETR writes `bytes` to the part file (then runs `during`), and counts calls. */
function fakeSession(bytes = 'payload', during?: () => void): FtpsSession & { calls: number } {
  const session = {
    calls: 0,
    // A server without MDTM: no remote time, as downloadFile asks before every download.
    modifiedAt: async (): Promise<Date | undefined> => undefined,
    get: async (remotePath: string, part: string): Promise<TransferResult> => {
      session.calls += 1;
      writeFileSync(part, bytes);
      during?.();
      return {
        direction: 'download',
        remotePath,
        bytes: bytes.length,
        offset: 0,
        durationMs: 0,
        verifiedBy: 'size',
        encrypted: true,
        sessionResumed: true,
      };
    },
  };
  return session as unknown as FtpsSession & { calls: number };
}

/** A character device node made with mknod (as root), else /dev/null, which no test can replace. */
function deviceNode(): string {
  const node = path.join(dir, 'full-device');
  try {
    execFileSync('mknod', [node, 'c', '1', '7'], { stdio: 'ignore' });
    return node;
  } catch {
    return '/dev/null';
  }
}

async function refusal(promise: Promise<unknown>): Promise<SessionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SessionError);
  return error as SessionError;
}

describe('downloadFile and what is already at LOCAL', () => {
  it('replaces an existing regular file (current behaviour) and leaves no part file', async () => {
    const local = path.join(dir, 'a.txt');
    writeFileSync(local, 'old');
    await downloadFile(fakeSession('new'), 'a.txt', local, { resume: false });
    expect(readFileSync(local, 'utf8')).toBe('new');
    expect(existsSync(local + PART_SUFFIX)).toBe(false);
  });

  it('refuses a symbolic link at LOCAL (the reported link.txt -> real.txt), leaving the link and its target untouched', async () => {
    writeFileSync(path.join(dir, 'real.txt'), 'real');
    const link = path.join(dir, 'link.txt');
    symlinkSync('real.txt', link);
    const session = fakeSession();
    const error = await refusal(downloadFile(session, 'x', link, { resume: false }));
    expect(error.code).toBe('FTPSCTL_ERR_LOCAL_FILE');
    expect(error.message).toBe(
      `refused to write the download target ${link}: it is a symbolic link (to real.txt), left untouched; ftpsctl replaces only regular files: remove it or name another path`,
    );
    expect(session.calls).toBe(0);
    expect(readlinkSync(link)).toBe('real.txt');
    expect(readFileSync(path.join(dir, 'real.txt'), 'utf8')).toBe('real');
    expect(existsSync(link + PART_SUFFIX)).toBe(false);
  });

  it('refuses a dangling symbolic link at LOCAL too (it would be created through)', async () => {
    const link = path.join(dir, 'dangling');
    symlinkSync(path.join(dir, 'nowhere'), link);
    const error = await refusal(downloadFile(fakeSession(), 'x', link, { resume: false }));
    expect(error.message).toContain('it is a symbolic link (to ');
    expect(existsSync(path.join(dir, 'nowhere'))).toBe(false);
  });

  it('refuses a FIFO at LOCAL', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const session = fakeSession();
    const error = await refusal(downloadFile(session, 'x', fifo, { resume: false }));
    expect(error.message).toContain(`${fifo}: it is a FIFO (named pipe), left untouched`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(session.calls).toBe(0);
  });

  it('refuses a device node at LOCAL (the reported mknod /dev/full)', async () => {
    const node = deviceNode();
    const error = await refusal(downloadFile(fakeSession(), 'x', node, { resume: false }));
    expect(error.message).toContain(`${node}: it is a character device, left untouched`);
    expect(lstatSync(node).isCharacterDevice()).toBe(true);
  });

  it('refuses a socket at LOCAL', async () => {
    const socket = path.join(dir, 'sock');
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      const error = await refusal(downloadFile(fakeSession(), 'x', socket, { resume: false }));
      expect(error.message).toContain('it is a socket, left untouched');
      expect(lstatSync(socket).isSocket()).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('refuses an existing folder up front (was: the whole download, then EISDIR on rename, exit 1, and a part file left)', async () => {
    const folder = path.join(dir, 'folder');
    mkdirSync(folder);
    const session = fakeSession();
    const error = await refusal(downloadFile(session, 'x', folder, { resume: false }));
    expect(error.message).toBe(
      `refused to write the download target ${folder}: it is a folder, left untouched; name a file inside it (for example ${path.join(folder, 'NAME')}) instead`,
    );
    expect(session.calls).toBe(0);
    expect(existsSync(folder + PART_SUFFIX)).toBe(false);
  });
});

describe('downloadFile and the part file', () => {
  it.each([false, true])(
    'refuses a symbolic link as the part file (resume %s), never writing through it',
    async (resume) => {
      const outside = path.join(dir, 'outside.txt');
      writeFileSync(outside, 'keep');
      const local = path.join(dir, 'a.txt');
      symlinkSync(outside, local + PART_SUFFIX);
      const session = fakeSession();
      const error = await refusal(downloadFile(session, 'x', local, { resume }));
      expect(error.message).toContain(
        `refused to write the part file ${local}${PART_SUFFIX}: it is a symbolic link (to ${outside})`,
      );
      expect(session.calls).toBe(0);
      expect(readFileSync(outside, 'utf8')).toBe('keep');
      expect(existsSync(local)).toBe(false);
    },
  );

  it('refuses a FIFO as the part file', async () => {
    const local = path.join(dir, 'a.txt');
    execFileSync('mkfifo', [local + PART_SUFFIX]);
    const error = await refusal(downloadFile(fakeSession(), 'x', local, { resume: true }));
    expect(error.message).toContain('it is a FIFO (named pipe)');
    expect(lstatSync(local + PART_SUFFIX).isFIFO()).toBe(true);
  });
});

describe('downloadFile checks LOCAL again right before the rename', () => {
  it.each([
    [
      'a symbolic link',
      (local: string) => symlinkSync('elsewhere', local),
      (local: string) => lstatSync(local).isSymbolicLink(),
    ],
    ['a folder', (local: string) => mkdirSync(local), (local: string) => lstatSync(local).isDirectory()],
    [
      'a FIFO (named pipe)',
      (local: string) => execFileSync('mkfifo', [local]),
      (local: string) => lstatSync(local).isFIFO(),
    ],
  ])(
    'refuses when LOCAL became %s during the transfer, keeps the verified part file and says so',
    async (kind, make, still) => {
      const local = path.join(dir, 'a.txt');
      const error = await refusal(
        downloadFile(
          fakeSession('verified', () => make(local)),
          'x',
          local,
          { resume: false },
        ),
      );
      expect(error.code).toBe('FTPSCTL_ERR_LOCAL_FILE');
      expect(error.message).toContain(`it is ${kind}`);
      expect(error.message).toContain(`; the verified download is kept in ${local}${PART_SUFFIX}`);
      expect(still(local)).toBe(true);
      expect(readFileSync(local + PART_SUFFIX, 'utf8')).toBe('verified');
    },
  );
});

describe('partFileFor: within the 255-byte name limit', () => {
  it('is NAME.ftpsctl-part when that fits, else the name cut on a character boundary with 8 hex digits of its SHA-256', () => {
    expect(partFileFor('/d/report.csv')).toBe('/d/report.csv.ftpsctl-part');
    const ascii = `${'n'.repeat(246)}.txt`;
    const cut = path.basename(partFileFor(`/d/${ascii}`));
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(255);
    expect(cut).toMatch(/^n+~[0-9a-f]{8}\.ftpsctl-part$/);
    // Deterministic (--resume finds it again) and distinct for names that share the kept prefix.
    expect(partFileFor(`/d/${ascii}`)).toBe(partFileFor(`/d/${ascii}`));
    expect(partFileFor(`/d/${ascii}`)).not.toBe(partFileFor(`/d/${'n'.repeat(246)}.dat`));
    const wide = 'ü'.repeat(127); // 254 bytes of two-byte characters
    const wideCut = path.basename(partFileFor(`/d/${wide}`));
    expect(Buffer.byteLength(wideCut)).toBeLessThanOrEqual(255);
    expect(Buffer.from(wideCut, 'utf8').toString('utf8')).toBe(wideCut); // no character split
  });
});
