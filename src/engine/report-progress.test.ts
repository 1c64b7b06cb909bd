/**
 * A caller's progress callback that throws fails its transfer with the caller's own error, in
 * every leg that calls it (file download, file upload, stream legs), instead of an uncaught
 * exception that kills the process and records nothing.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { receiveToFile } from './file-receiver';
import { sendFromFile } from './file-sender';
import { reportProgress } from './report-progress';
import { TransferMeter } from './transfer-meter';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-progress-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const broken = new Error('the caller’s progress display broke');
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
    expect(failed[0]).toBe(broken);
    expect(failed[1]?.message).toBe('a string');
  });
});

describe('a throwing progress callback fails the transfer with its error', () => {
  it('download to a file (receiveToFile): rejects, and stops taking data', async () => {
    const file = path.join(dir, 'down.bin');
    const fd = openSync(file, 'w');
    const chunks = Array.from({ length: 50 }, () => Buffer.alloc(16 * 1024, 1));
    const source = Readable.from(chunks);
    try {
      await expect(receiveToFile(source, { fd, position: 0, file, onProgress: throwAfter(3) })).rejects.toBe(broken);
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
      await expect(sendFromFile(socket, { fd, position: 0, file, onProgress: throwAfter(2) })).rejects.toBe(broken);
    } finally {
      closeSync(fd);
    }
  });

  it('a stream leg (TransferMeter): the pipeline rejects', async () => {
    const meter = new TransferMeter({ sha256: true, onProgress: throwAfter(2) });
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const source = Readable.from([Buffer.alloc(10), Buffer.alloc(10), Buffer.alloc(10)]);
    await expect(pipeline(source, meter, sink)).rejects.toBe(broken);
  });
});
