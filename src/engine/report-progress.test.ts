/**
 * A caller's progress callback that throws fails its transfer, in every leg that calls it (file
 * download, file upload, stream legs), as a ProgressCallbackFailure carrying the caller's own
 * error (getFile/putFile reject with that error itself), instead of an uncaught exception that
 * kills the process and records nothing.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { receiveToFile } from './file-receiver';
import { sendFromFile } from './file-sender';
import { callerError, ProgressCallbackFailure, reportProgress } from './report-progress';
import { TransferMeter } from './transfer-meter';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-progress-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const broken = new Error('the caller’s progress display broke');
const carriesBroken = (error: unknown): boolean => callerError(error) === broken;
const throwAfter = (calls: number) => {
  let seen = 0;
  return (): void => {
    seen += 1;
    if (seen >= calls) throw broken;
  };
};

describe('reportProgress', () => {
  it('passes the bytes on, and turns a throw into fail(error) and false', () => {
    const seen: number[] = [];
    const failed: Error[] = [];
    expect(
      reportProgress(
        (n) => seen.push(n),
        7,
        (e) => failed.push(e),
      ),
    ).toBe(true);
    expect(reportProgress(throwAfter(1), 8, (e) => failed.push(e))).toBe(false);
    expect(reportProgress(() => { throw 'a string'; }, 9, (e) => failed.push(e))).toBe(false); // prettier-ignore
    expect(seen).toEqual([7]);
    expect(failed[0]).toBeInstanceOf(ProgressCallbackFailure);
    expect(callerError(failed[0])).toBe(broken);
    expect(callerError(failed[1])).toBe('a string');
    expect(callerError(broken)).toBe(broken);
  });
});

describe('a throwing progress callback fails the transfer with its error', () => {
  it('download to a file (receiveToFile): rejects, and stops taking data', async () => {
    const file = path.join(dir, 'down.bin');
    const fd = openSync(file, 'w');
    const chunks = Array.from({ length: 50 }, () => Buffer.alloc(16 * 1024, 1));
    const source = Readable.from(chunks);
    try {
      const failure = await receiveToFile(source, { fd, position: 0, file, onProgress: throwAfter(3) }).catch(
        (error: unknown) => error,
      );
      expect(carriesBroken(failure)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it('upload from a file (sendFromFile): rejects', async () => {
    const file = path.join(dir, 'up.bin');
    writeFileSync(file, Buffer.alloc(5 * 1024 * 1024, 2));
    const fd = openSync(file, 'r');
    const socket = new PassThrough();
    socket.resume();
    try {
      const failure = await sendFromFile(socket, { fd, position: 0, file, onProgress: throwAfter(2) }).catch(
        (error: unknown) => error,
      );
      expect(carriesBroken(failure)).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it('a stream leg (TransferMeter): the pipeline rejects', async () => {
    const meter = new TransferMeter({ sha256: true, onProgress: throwAfter(2) });
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const source = Readable.from([Buffer.alloc(10), Buffer.alloc(10), Buffer.alloc(10)]);
    const failure = await pipeline(source, meter, sink).catch((error: unknown) => error);
    expect(carriesBroken(failure)).toBe(true);
  });
});

describe('an async progress callback', () => {
  it('that rejects fails the transfer through failLater, never as an unhandled rejection', async () => {
    const failed: Error[] = [];
    const ok = reportProgress(
      async () => {
        throw new Error('async boom');
      },
      10,
      () => undefined,
      (error) => failed.push(error),
    );
    expect(ok).toBe(true); // the chunk itself goes on; the rejection arrives later
    await new Promise((resolve) => setImmediate(resolve));
    expect(failed).toHaveLength(1);
    expect(callerError(failed[0])).toEqual(new Error('async boom'));
  });
});
