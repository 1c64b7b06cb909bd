/**
 * Review (the library as a program uses it): what a ManagedSession does around close() and with
 * the caller's streams and callbacks. Against the embedded loopback server, in-process.
 *
 * - An operation called after close() fails with FTPSCTL_ERR_CLOSED the first time, but the
 *   failed transfer's event is written to the closed audit log (EBADF), which marks the log
 *   broken: every later call fails with FTPSCTL_ERR_AUDIT_LOG, "cannot write the audit log ...:
 *   bad file descriptor ... free space or fix the log" (exit 6), about a log that is fine.
 * - close() during a mirror does not stop it: the mirror's extra connections go on starting and
 *   moving files after close() was called (README: closing the connections is how a running
 *   operation is interrupted).
 * - get() into a Writable that has already finished never settles (no error, no timeout,
 *   network.idleTimeoutMs included), and every operation queued after it waits forever.
 * - A caller's Writable that fails during get() (an HTTP response whose client went away) ends
 *   the whole session: the next call is FTPSCTL_ERR_CLOSED "broke earlier; open a new one",
 *   although the server answered the cut data connection (426) and the control connection is
 *   in step, as it is after an onProgress that throws (which keeps the session usable).
 * - An async onProgress that rejects (README: "An exception thrown by your onProgress fails that
 *   transfer ... it does not crash the process"): each call's rejection is unhandled (one per
 *   chunk: Node's default --unhandled-rejections=throw ends the process at the first), and the
 *   transfer is recorded as a success.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { connect, isFtpsctlError } from '../../src';
import { auditActions, startLibraryWorkspace, type LibraryWorkspace } from '../helpers/library-workspace';

jest.setTimeout(60_000);

const PASSWORD = 'library-lifecycle-secret-81f0';
let workspace: LibraryWorkspace;
beforeAll(async () => {
  workspace = await startLibraryWorkspace(PASSWORD);
  writeFileSync(path.join(workspace.root, 'small.txt'), 'hello');
  mkdirSync(path.join(workspace.root, 'tree'));
  for (let i = 0; i < 30; i += 1)
    writeFileSync(path.join(workspace.root, 'tree', `f${String(i).padStart(2, '0')}.bin`), Buffer.alloc(8 << 20, i));
});
afterAll(() => workspace?.stop());

/** The code of what `promise` rejects with, or 'settled' / 'pending after N ms'. */
async function outcome(promise: Promise<unknown>, ms: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`pending after ${ms} ms`), ms)));
  const settled = promise.then(
    () => 'settled',
    (error: unknown) => (isFtpsctlError(error) ? error.code : `not an FtpsctlError: ${String(error)}`),
  );
  try {
    return await Promise.race([settled, pending]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a ManagedSession after and during close()', () => {
  it('every operation called after close() is FTPSCTL_ERR_CLOSED, never a broken audit log', async () => {
    const log = path.join(workspace.dir, 'after-close.jsonl');
    const session = await connect(workspace.profileFolder('after-close'), { auditLogFiles: [log] });
    await session.close();
    const codes = [];
    codes.push(await outcome(session.download('small.txt', path.join(workspace.dir, 'after-close.txt')), 10_000));
    codes.push(await outcome(session.pwd(), 10_000));
    codes.push(await outcome(session.list('/'), 10_000));
    expect(codes).toEqual(['FTPSCTL_ERR_CLOSED', 'FTPSCTL_ERR_CLOSED', 'FTPSCTL_ERR_CLOSED']);
    expect(auditActions(log)).toEqual(['session.start:unknown', 'tls.established:success', 'session.end:success']);
  });

  it('close() during a mirror stops it: no file starts after close() was called', async () => {
    const log = path.join(workspace.dir, 'close-mirror.jsonl');
    const session = await connect(workspace.profileFolder('close-mirror', { transfer: { parallel: 3 } }), {
      auditLogFiles: [log],
    });
    let closing: Promise<void> | undefined;
    const startedAfterClose: string[] = [];
    const mirror = session.mirror({
      remote: '/tree',
      local: path.join(workspace.dir, 'close-mirror'),
      onFileStart: (item) => {
        if (closing) startedAfterClose.push(item.remote);
        return () => undefined;
      },
      onFileDone: () => {
        closing ??= session.close();
      },
    });
    const settled = await mirror.then(
      (report) => ({ transferred: report.transferred.length, failed: report.failed.length }),
      (error: unknown) => ({ error: isFtpsctlError(error) ? error.code : String(error) }),
    );
    await closing;
    expect({ startedAfterClose, settled }).toEqual({
      startedAfterClose: [],
      settled: expect.not.objectContaining({ transferred: 30 }) as unknown,
    });
  });
});

describe("a ManagedSession and the caller's streams", () => {
  it('get() into a Writable that has already finished fails, instead of hanging the session', async () => {
    const session = await connect(workspace.profileFolder('finished-writable', { network: { idleTimeoutMs: 2000 } }));
    try {
      const finished = new Writable({ write: (_chunk, _encoding, done) => done() });
      finished.end();
      await new Promise((resolve) => finished.on('finish', resolve));
      const get = session.get('small.txt', finished);
      expect(await outcome(get, 15_000)).toMatch(/^FTPSCTL_ERR_/);
    } finally {
      await session.close();
    }
  });

  it('a Writable that fails during get() fails that transfer; the session stays usable (the server answered 426)', async () => {
    const log = path.join(workspace.dir, 'failing-writable.jsonl');
    const session = await connect(workspace.profileFolder('failing-writable'), { auditLogFiles: [log] });
    try {
      let chunks = 0;
      const goneAway = new Writable({
        write: (_chunk, _encoding, done) => done((chunks += 1) > 4 ? new Error('the client went away') : null),
      });
      expect(await outcome(session.get('tree/f00.bin', goneAway), 15_000)).toMatch(/^FTPSCTL_ERR_/);
      expect(await outcome(session.pwd(), 10_000)).toBe('settled');
    } finally {
      await session.close();
    }
  });
});

describe('a ManagedSession and an onProgress that misbehaves', () => {
  it('an async onProgress that rejects fails that transfer, recorded as failed (jest reports the unhandled rejections)', async () => {
    const log = path.join(workspace.dir, 'async-progress.jsonl');
    const session = await connect(workspace.profileFolder('async-progress'), { auditLogFiles: [log] });
    let result: string;
    try {
      result = await outcome(
        session.download('small.txt', path.join(workspace.dir, 'async-progress.txt'), {
          onProgress: async () => {
            throw new Error('the progress display failed');
          },
        }),
        15_000,
      );
    } finally {
      await session.close();
    }
    expect(result).not.toBe('settled');
    expect(auditActions(log)).toContain('transfer:failure');
  });
});
