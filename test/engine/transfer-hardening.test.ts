/**
 * Issue 12, the transfer side: a download that can't be verified at the level
 * transfer.verify demands fails (defect 6); bytes beyond the announced size stop at the
 * first one; listings have byte and line limits (defect 7); local file errors name the
 * file and the errno in words; part files survive network failures and not integrity
 * failures. Each reported input first, then the variants.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import {
  DEFAULT_DOWNLOAD,
  dropDataMidTransfer,
  hugeListing,
  noCloseNotify,
  startHostileServer,
  type HostileScript,
  type HostileServer,
} from '../../packages/testbed/src/hostile-server';
import { openSession, type FtpsSession } from '../../src/engine';
import { downloadFile, PART_SUFFIX } from '../../src/session/download-file';
import { engineSettingsFor, type ProfileOverrides } from '../helpers/engine-settings';

jest.setTimeout(30_000);

let pki: TestPki;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-transfer-hardening-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withSession<T>(
  script: HostileScript,
  overrides: ProfileOverrides,
  run: (session: FtpsSession, server: HostileServer) => Promise<T>,
): Promise<T> {
  const server = await startHostileServer(script, { pki: { cert: pki.server.cert, key: pki.server.key } });
  try {
    const session = await openSession(engineSettingsFor(server.port, pki.caFile, overrides), { password: 'pw' });
    try {
      return await run(session, server);
    } finally {
      await session.close();
    }
  } finally {
    await server.stop();
  }
}

/** The reported input: SIZE refused with 502, the data cut at 50,000 of 102,400 bytes without close_notify, then 226. */
const REPORTED_DEFECT_6: HostileScript = {
  ...noCloseNotify({ truncateAt: 50_000 }),
  replies: { SIZE: '502 Command not implemented' },
};

describe('a download that cannot be verified (defect 6)', () => {
  it.each(['size', 'hash'] as const)(
    'the reported input with transfer.verify %s: FTPSCTL_ERR_VERIFY before RETR, naming the 502',
    async (verify) => {
      await withSession(REPORTED_DEFECT_6, { transfer: { verify } }, async (session, server) => {
        const local = path.join(dir, `d6-${verify}.bin`);
        await expect(session.get('payload.bin', local)).rejects.toMatchObject({
          code: 'FTPSCTL_ERR_VERIFY',
          message: expect.stringMatching(
            /transfer\.verify is (size|hash).*answered SIZE with 502 Command not implemented.*no HASH/,
          ),
        });
        expect(server.commands()).not.toContain('RETR');
        expect(existsSync(local)).toBe(false);
      });
    },
  );

  it('the reported input through downloadFile (session get): fails, leaves no file and no part file', async () => {
    await withSession(REPORTED_DEFECT_6, {}, async (session) => {
      const local = path.join(dir, 'd6-download-file.bin');
      await expect(downloadFile(session, 'payload.bin', local, { resume: false })).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_VERIFY',
      });
      expect(existsSync(local)).toBe(false);
      expect(existsSync(`${local}${PART_SUFFIX}`)).toBe(false);
    });
  });

  it('with transfer.verify none (an explicit opt-out) the cut file passes, and says verifiedBy none', async () => {
    await withSession(REPORTED_DEFECT_6, { transfer: { verify: 'none' } }, async (session) => {
      const local = path.join(dir, 'd6-none.bin');
      await expect(session.get('payload.bin', local)).resolves.toMatchObject({ bytes: 50_000, verifiedBy: 'none' });
    });
  });

  it('with SIZE answered, the same cut without close_notify fails as incomplete', async () => {
    await withSession(noCloseNotify({ truncateAt: 50_000 }), {}, async (session) => {
      await expect(session.get('payload.bin', path.join(dir, 'd6-size.bin'))).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_VERIFY',
        message: expect.stringContaining('50000 of 102400 bytes arrived'),
      });
    });
  });

  it('an upload that cannot be verified (SIZE refused after STOR) fails the same way', async () => {
    await withSession({ replies: { SIZE: '502 Command not implemented' } }, {}, async (session) => {
      const local = path.join(dir, 'upload-source.bin');
      writeFileSync(local, DEFAULT_DOWNLOAD);
      await expect(session.put(local, 'up.bin')).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_VERIFY',
        message: expect.stringContaining('could not be verified as transfer.verify (size) demands'),
      });
    });
  });
});

describe('bytes beyond the announced size', () => {
  it('SIZE says 1000, the server sends 102,400: fails, and no more than 1000 bytes reach the disk', async () => {
    await withSession({ replies: { SIZE: '213 1000' } }, {}, async (session) => {
      const local = path.join(dir, 'excess.bin');
      await expect(session.get('payload.bin', local)).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_VERIFY',
        message: expect.stringContaining('more than the 1000 bytes it announced'),
      });
      expect(statSync(local).size).toBeLessThanOrEqual(1000);
      expect(readFileSync(local).equals(DEFAULT_DOWNLOAD.subarray(0, statSync(local).size))).toBe(true);
    });
  });

  it('SIZE exact: the whole file passes (the limit is not off by one)', async () => {
    await withSession({}, {}, async (session) => {
      await expect(session.get('payload.bin', path.join(dir, 'exact.bin'))).resolves.toMatchObject({
        bytes: DEFAULT_DOWNLOAD.length,
        verifiedBy: 'size',
      });
    });
  });

  it('after the excess-byte failure the session goes on', async () => {
    await withSession({ replies: { SIZE: '213 1000' } }, { transfer: { verify: 'none' } }, async (session) => {
      await expect(session.get('payload.bin', path.join(dir, 'excess-then.bin'))).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_VERIFY',
      });
      await expect(session.pwd()).resolves.toBe('/');
    });
  });
});

describe('part files: kept after a network failure, deleted after an integrity failure', () => {
  it('a data connection dropped with 426 keeps the 4096 bytes, and the error says to use --resume', async () => {
    await withSession(dropDataMidTransfer(4096), {}, async (session) => {
      const local = path.join(dir, 'kept.bin');
      await expect(downloadFile(session, 'payload.bin', local, { resume: false })).rejects.toMatchObject({
        message: expect.stringContaining(
          `The 4096 bytes that arrived are kept in ${local}${PART_SUFFIX}: run the same command with --resume`,
        ),
      });
      expect(statSync(`${local}${PART_SUFFIX}`).size).toBe(4096);
      expect(existsSync(local)).toBe(false);
    });
  });

  it('a cut that ends in 226 is an integrity failure: the part file is deleted', async () => {
    await withSession(noCloseNotify({ truncateAt: 4096 }), {}, async (session) => {
      const local = path.join(dir, 'deleted.bin');
      await expect(downloadFile(session, 'payload.bin', local, { resume: false })).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_VERIFY',
      });
      expect(existsSync(`${local}${PART_SUFFIX}`)).toBe(false);
    });
  });
});

describe('local file errors name the file and the errno in words', () => {
  // A write that fails mid-transfer (ENOSPC on /dev/full's descriptor) is file-receiver.test.ts's;
  // a device named as the local file is refused before RETR: it has no place to keep the bytes.
  it('a device (/dev/full): FTPSCTL_ERR_LOCAL_FILE before RETR, not "RETR with 127.0.0.1 failed"', async () => {
    await withSession({}, {}, async (session) => {
      const error = (await session.get('payload.bin', '/dev/full').catch((e: unknown) => e)) as Error & {
        code: string;
      };
      expect(error).toMatchObject({
        code: 'FTPSCTL_ERR_LOCAL_FILE',
        message: 'cannot write the local file /dev/full: it is a character device, not a regular file',
      });
      expect(error.message).not.toContain('RETR');
      // The server's answer to the cut data connection was read: the session goes on.
      await expect(session.pwd()).resolves.toBe('/');
    });
  });

  it('EISDIR: a folder where the file should go', async () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    await withSession({}, {}, async (session) => {
      await expect(session.get('payload.bin', folder)).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_LOCAL_FILE',
        message: `cannot write the local file ${folder}: it is a folder (EISDIR)`,
      });
    });
  });

  it('ENOTDIR: a file where a folder should be', async () => {
    const file = path.join(dir, 'plain-file');
    writeFileSync(file, 'x');
    await withSession({}, {}, async (session) => {
      await expect(session.get('payload.bin', path.join(file, 'x.bin'))).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_LOCAL_FILE',
        message: expect.stringContaining('not a directory (ENOTDIR)'),
      });
    });
  });

  it('an upload whose local file fails while read (a folder: EISDIR) names the file, and the session goes on', async () => {
    const folder = path.join(dir, 'upload-folder');
    mkdirSync(folder, { recursive: true });
    await withSession({}, {}, async (session) => {
      await expect(session.put(folder, 'up.bin')).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_LOCAL_FILE',
        message: `cannot read the local file ${folder}: it is a folder (EISDIR)`,
      });
      await expect(session.pwd()).resolves.toBe('/');
    });
  });

  it('a network failure during a download into a good file stays a transfer error (not blamed on the file)', async () => {
    await withSession(dropDataMidTransfer(4096), {}, async (session) => {
      await expect(session.get('payload.bin', path.join(dir, 'net.bin'))).rejects.not.toMatchObject({
        code: 'FTPSCTL_ERR_LOCAL_FILE',
      });
    });
  });
});

describe('listing limits (defect 7)', () => {
  it('more lines than transfer.maxListingEntries: FTPSCTL_ERR_TRANSFER naming the setting', async () => {
    await withSession(hugeListing(1000), { transfer: { maxListingEntries: 100 } }, async (session) => {
      await expect(session.listing()).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_TRANSFER',
        message: expect.stringContaining('more than transfer.maxListingEntries (100 lines)'),
      });
    });
  });

  it('more bytes than transfer.maxListingBytes: FTPSCTL_ERR_TRANSFER naming the setting', async () => {
    await withSession(hugeListing(1000), { transfer: { maxListingBytes: 4096 } }, async (session) => {
      await expect(session.listing()).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_TRANSFER',
        message: expect.stringContaining('more than transfer.maxListingBytes (4096 bytes)'),
      });
    });
  });

  it('exactly at the limit: every entry, in order', async () => {
    await withSession(hugeListing(100), { transfer: { maxListingEntries: 100 } }, async (session) => {
      const listing = await session.listing();
      expect(listing.entries).toHaveLength(100);
      expect(listing.entries[99]?.name).toBe('f0000099');
    });
  });
});
