/**
 * sendFromFile: the socket gets the file from the position to EOF whatever its size (empty,
 * small, several buffers), then is ended; the SHA-256 and progress see every byte; a read
 * failure is FTPSCTL_ERR_LOCAL_FILE and a socket failure is passed on.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { BUFFER_BYTES, sendFromFile } from './file-sender';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-sender-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A socket stand-in that keeps what it is given, taking each write after a turn of the event loop (like a slow peer). */
function collector(): { socket: Writable; received: () => Buffer; writes: number[] } {
  const chunks: Buffer[] = [];
  const writes: number[] = [];
  const socket = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk)); // a copy: the sender reuses its buffers once the write is done
      writes.push(chunk.length);
      setImmediate(callback);
    },
  });
  return { socket, received: () => Buffer.concat(chunks), writes };
}

async function send(
  data: Buffer,
  position = 0,
): Promise<{ bytes: number; sha256: string; progress: number[]; received: Buffer; writes: number[]; ended: boolean }> {
  const file = path.join(dir, `source-${data.length}-${position}.bin`);
  writeFileSync(file, data);
  const fd = openSync(file, 'r');
  const hash = createHash('sha256');
  const progress: number[] = [];
  const { socket, received, writes } = collector();
  try {
    const bytes = await sendFromFile(socket, {
      fd,
      position,
      expectedBytes: data.length - position,
      file,
      hash,
      onProgress: (n) => progress.push(n),
    });
    return {
      bytes,
      sha256: hash.digest('hex'),
      progress,
      received: received(),
      writes,
      ended: socket.writableFinished,
    };
  } finally {
    closeSync(fd);
  }
}

describe('sendFromFile', () => {
  it.each([
    ['an empty file', 0],
    ['a small file (one buffer just over its size)', 4096],
    ['several buffers and a tail', 3 * BUFFER_BYTES + 4321],
  ])('%s: everything, once, in order; the socket is ended', async (_name, size) => {
    const data = randomBytes(size);
    const result = await send(data);
    expect(result.received.equals(data)).toBe(true);
    expect(result.bytes).toBe(size);
    expect(result.ended).toBe(true);
    expect(result.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(result.progress.at(-1) ?? 0).toBe(size);
    expect(Math.max(0, ...result.writes)).toBeLessThanOrEqual(BUFFER_BYTES);
  });

  it('a resume sends from the position only', async () => {
    const data = randomBytes(BUFFER_BYTES + 10_000);
    const result = await send(data, 7777);
    expect(result.received.equals(data.subarray(7777))).toBe(true);
    expect(result.bytes).toBe(data.length - 7777);
  });

  it('a read failure is FTPSCTL_ERR_LOCAL_FILE naming the file and the errno', async () => {
    const folder = path.join(dir, 'a-folder');
    mkdirSync(folder);
    const fd = openSync(folder, 'r');
    try {
      await expect(sendFromFile(collector().socket, { fd, position: 0, file: folder })).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_LOCAL_FILE',
        message: `cannot read the local file ${folder}: it is a folder (EISDIR)`,
      });
    } finally {
      closeSync(fd);
    }
  });

  it('a socket failure is passed on as it is', async () => {
    const file = path.join(dir, 'to-broken-socket.bin');
    writeFileSync(file, randomBytes(2 * BUFFER_BYTES));
    const fd = openSync(file, 'r');
    const broken = new Error('connection reset');
    const socket = new Writable({
      write(_chunk, _encoding, callback) {
        callback(broken);
      },
    });
    socket.on('error', () => undefined);
    try {
      await expect(sendFromFile(socket, { fd, position: 0, file })).rejects.toBe(broken);
    } finally {
      closeSync(fd);
    }
  });
});

describe('sendFromFile against a socket ended by the other side', () => {
  it('is FTPSCTL_ERR_TRANSFER naming the bytes sent, not a success', async () => {
    const file = path.join(dir, 'to-ended-socket.bin');
    writeFileSync(file, randomBytes(3 * BUFFER_BYTES));
    const fd = openSync(file, 'r');
    let writes = 0;
    const socket: Writable = new Writable({
      write(_chunk, _encoding, callback) {
        writes += 1;
        callback();
        // The peer's FIN ends a socket that does not allow half-open, while the file goes on.
        if (writes === 1) setImmediate(() => socket.end());
      },
    });
    socket.on('error', () => undefined);
    try {
      await expect(sendFromFile(socket, { fd, position: 0, file })).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_TRANSFER',
        message: expect.stringContaining('before the end of the local file'),
      });
    } finally {
      closeSync(fd);
    }
  });
});
