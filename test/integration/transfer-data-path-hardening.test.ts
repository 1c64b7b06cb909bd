/**
 * The transfer data path under attack (issue 13: file-receiver.ts, file-sender.ts,
 * local-file.ts, report-progress.ts), as a hostile server and an unlucky user would use it.
 * One test per defect an independent review found (all fixed); each states the promise (README,
 * RELIABILITY.md, DESIGN.md). Against the embedded loopback server.
 */
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';
import { openSession, type FtpsSession } from '../../src/engine';
import { downloadFile, PART_SUFFIX } from '../../src/session/download-file';
import { engineSettingsFor } from '../helpers/engine-settings';

jest.setTimeout(30_000);

let pki: TestPki;
let dir: string;
let root: string;
let server: EmbeddedServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-data-path-'));
  pki = await createTestPki(path.join(dir, 'pki'));
  root = mkdtempSync(path.join(dir, 'root-'));
  server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password: 'pw' }],
    pki: { cert: pki.server.cert, key: pki.server.key },
  });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function withSession<T>(run: (session: FtpsSession) => Promise<T>): Promise<T> {
  const session = await openSession(engineSettingsFor(server.port, pki.caFile), { password: 'pw' });
  try {
    return await run(session);
  } finally {
    await session.close().catch(() => undefined);
  }
}

type Outcome = { settled: 'resolved'; bytes: number } | { settled: 'rejected'; code?: string; message: string };

/** What `promise` settled with within `ms`, or undefined when it had not settled by then. */
async function settledWithin(promise: Promise<{ bytes: number }>, ms: number): Promise<Outcome | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = promise.then(
    (result): Outcome => ({ settled: 'resolved', bytes: result.bytes }),
    (error: { code?: string; message: string }): Outcome => ({
      settled: 'rejected',
      code: error.code,
      message: error.message,
    }),
  );
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([outcome, timeout]).finally(() => clearTimeout(timer));
}

describe('the transfer data path holds against hostile local files and odd remote sizes', () => {
  // Promise: nothing hangs, every failure settles; local problems are FTPSCTL_ERR_LOCAL_FILE naming the file.
  // openForUpload opens with a blocking open(2): a FIFO with no writer blocks a libuv pool thread forever,
  // before anything is sent and with no timeout (network.idleTimeoutMs does not cover it). The CLI refuses a
  // non-regular LOCAL before connecting (commands/session/put.ts); the library does not: the engine's put and
  // ManagedSession.upload (connect()) go straight to openForUpload.
  it('an upload from a FIFO with no writer settles (FTPSCTL_ERR_LOCAL_FILE naming it) instead of hanging in open', async () => {
    const fifo = path.join(dir, 'upload-source.fifo');
    execFileSync('mkfifo', [fifo]);
    let outcome: Outcome | undefined;
    try {
      await withSession(async (session) => {
        outcome = await settledWithin(session.put(fifo, 'from-fifo.bin'), 5_000);
      });
    } finally {
      // Release the pool thread blocked in open(2) (a read-write open of a FIFO never blocks on Linux).
      closeSync(openSync(fifo, 'r+'));
    }
    expect(outcome).toMatchObject({
      settled: 'rejected',
      code: 'FTPSCTL_ERR_LOCAL_FILE',
      message: expect.stringContaining(fifo),
    });
  });

  // Promise: nothing hangs. sendFromFile reads to EOF; a character device like /dev/zero has none, so the
  // upload runs until the server's disk is full (measured: ~550 MB sent in 3 s). A download to a device is
  // refused before RETR (README "Verification, part files and limits"); an upload from one is not, in the
  // library (the CLI's put refuses it before connecting: exit 2, "/dev/zero is not a regular file").
  it('an upload from /dev/zero (a device, no end of file) is refused before STOR instead of sending without end', async () => {
    await withSession(async (session) => {
      const outcome = await settledWithin(session.put('/dev/zero', 'from-dev-zero.bin'), 5_000);
      expect(outcome).toMatchObject({
        settled: 'rejected',
        code: 'FTPSCTL_ERR_LOCAL_FILE',
        message: expect.stringContaining('/dev/zero'),
      });
    });
    expect(existsSync(path.join(root, 'from-dev-zero.bin'))).toBe(false);
  });

  // Promise: --resume continues at the right offset and the final file is byte-identical; after a network
  // failure the error says "run the same command with --resume". With a part file longer than the remote file
  // (the remote file was replaced by a shorter one), RETR is refused (554 REST past the end), the part file is
  // kept, the error advises --resume, and every --resume fails the same way: the download can never complete.
  // Measured the same against proftpd and pure-ftpd (554 restart offset too large); vsftpd sends 0 bytes and a
  // 226, which ends as FTPSCTL_ERR_VERIFY and deletes the part file (it recovers).
  it('a part file longer than the remote file: the --resume that the error advises completes the download', async () => {
    const remote = Buffer.from('the remote file was replaced by a shorter one\n'.repeat(20));
    writeFileSync(path.join(root, 'shrunk.bin'), remote);
    const local = path.join(dir, 'shrunk.bin');
    writeFileSync(`${local}${PART_SUFFIX}`, Buffer.alloc(remote.length + 500, 0x41));
    await withSession(async (session) => {
      const first = await downloadFile(session, 'shrunk.bin', local, { resume: true }).then(
        () => undefined,
        (error: Error) => error,
      );
      if (first) {
        // As the error says: run the same command with --resume.
        expect(first.message).toContain('--resume');
        await downloadFile(session, 'shrunk.bin', local, { resume: true });
      }
    });
    expect(readFileSync(local).equals(remote)).toBe(true);
  });
  // Promise: a download goes to NAME.ftpsctl-part and is renamed only when verified; a symbolic link at LOCAL or
  // at the part file is refused ("checked again, without following links, right before the rename", README).
  // Only LOCAL is checked again: the part file swapped for a symbolic link while the data flows (the bytes go
  // to the unlinked inode through the open descriptor) is renamed onto LOCAL, and the download reports success
  // with the SHA-256 of bytes that are in no file, while LOCAL is now a link to another file.
  it('a part file replaced by a symbolic link during the download is never renamed onto the target as a success', async () => {
    const payload = Buffer.alloc(8 * 1024 * 1024, 7);
    writeFileSync(path.join(root, 'swapped.bin'), payload);
    const other = path.join(dir, 'someone-elses.txt');
    writeFileSync(other, 'not the downloaded data');
    const local = path.join(dir, 'swapped.bin');
    const part = `${local}${PART_SUFFIX}`;
    let swapped = false;
    const outcome = await withSession((session) =>
      downloadFile(session, 'swapped.bin', local, {
        resume: false,
        onProgress: () => {
          if (swapped) return;
          swapped = true;
          unlinkSync(part);
          symlinkSync(other, part);
        },
      }).then(
        (result) => ({ settled: 'resolved' as const, sha256: result.sha256 }),
        (error: { code?: string }) => ({ settled: 'rejected' as const, code: error.code }),
      ),
    );
    expect(swapped).toBe(true);
    if (outcome.settled === 'resolved') {
      // A success must mean LOCAL is a regular file holding the bytes whose SHA-256 was reported.
      expect(lstatSync(local).isSymbolicLink()).toBe(false);
      expect(readFileSync(local).equals(payload)).toBe(true);
    } else {
      expect(outcome.code).toBe('FTPSCTL_ERR_LOCAL_FILE');
    }
    expect(readFileSync(other, 'utf8')).toBe('not the downloaded data');
  });
  // Promise: uploads are verified (size or hash), and --resume continues at the right offset. `session put
  // --resume` takes the offset from the remote size (managed-session.ts: SIZE, then APPE); when the remote file
  // is longer than the local one, the read starts past the local end of file, nothing is sent, and the size check
  // compares the remote size with offset + 0 bytes: "verified by size", exit 0, while the remote file is not the
  // local file (measured with the CLI: a 3000-byte file put --resume over a 5000-byte remote file).
  it('an upload resumed at an offset past the end of the local file is not reported as verified', async () => {
    const remoteFile = path.join(root, 'longer-remote.bin');
    writeFileSync(remoteFile, Buffer.alloc(5000, 0x52));
    const local = path.join(dir, 'shorter-local.bin');
    writeFileSync(local, Buffer.alloc(3000, 0x4c));
    const outcome = await withSession((session) =>
      // What ManagedSession.upload({ resume: true }) does: the offset is the remote file's size.
      session.put(local, 'longer-remote.bin', { offset: 5000, verify: 'size' }).then(
        (result) => ({ settled: 'resolved' as const, verifiedBy: result.verifiedBy }),
        (error: { code?: string }) => ({ settled: 'rejected' as const, code: error.code }),
      ),
    );
    expect(outcome).toEqual({ settled: 'rejected', code: 'FTPSCTL_ERR_VERIFY' });
  });
  // Promise (commit ef57977, report-progress.ts): a throwing progress callback fails ITS transfer with the
  // caller's error. At the engine it becomes FTPSCTL_ERR_TRANSFER ("RETR with 127.0.0.1 failed: boom", as if the
  // network failed), and markBrokenOn treats that as a broken control channel: the session is closed although
  // the server answered the cut data connection with 426 in step (NODE_DEBUG=ftpsctl shows it). A local write
  // failure at the same point (/dev/full, FTPSCTL_ERR_LOCAL_FILE) leaves the session usable; a caller's bug in
  // a progress display ends every later transfer of the session with FTPSCTL_ERR_CLOSED "broke earlier".
  it('a throwing progress callback fails only its transfer: the next transfer on the session works', async () => {
    writeFileSync(path.join(root, 'progress.bin'), Buffer.alloc(4 * 1024 * 1024, 3));
    await withSession(async (session) => {
      const broken = new Error('the caller progress display broke');
      await expect(
        session.get('progress.bin', path.join(dir, 'progress-first.bin'), {
          onProgress: (bytes) => {
            if (bytes >= 1024 * 1024) throw broken;
          },
        }),
      ).rejects.toMatchObject({ message: expect.stringContaining('the caller progress display broke') });
      const next = await session.get('progress.bin', path.join(dir, 'progress-next.bin')).then(
        (result) => ({ settled: 'resolved' as const, bytes: result.bytes }),
        (error: { code?: string; message: string }) => ({ settled: 'rejected' as const, code: error.code }),
      );
      expect(next).toEqual({ settled: 'resolved', bytes: 4 * 1024 * 1024 });
    });
  });
});
