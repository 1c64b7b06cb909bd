/**
 * receiveToFile: every byte lands at its offset whatever the chunking (batches, the chunk
 * cap, a resume position), the SHA-256 and progress see every byte, bytes beyond the limit
 * never reach the disk, what arrived before a connection failure is kept, and a failed
 * write is FTPSCTL_ERR_LOCAL_FILE.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { BATCH_BYTES, receiveToFile } from './file-receiver';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-receiver-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function chunked(data: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += size) chunks.push(data.subarray(at, at + size));
  return chunks;
}

async function receive(
  file: string,
  chunks: Buffer[],
  options: { position?: number; limitBytes?: number; flags?: string } = {},
): Promise<{ bytes: number; sha256: string; progress: number[] }> {
  const fd = openSync(file, options.flags ?? 'w');
  const hash = createHash('sha256');
  const progress: number[] = [];
  try {
    const bytes = await receiveToFile(Readable.from(chunks), {
      fd,
      position: options.position ?? 0,
      file,
      hash,
      onProgress: (n) => progress.push(n),
      ...(options.limitBytes !== undefined ? { limitBytes: options.limitBytes } : {}),
    });
    return { bytes, sha256: hash.digest('hex'), progress };
  } finally {
    closeSync(fd);
  }
}

describe('receiveToFile', () => {
  it.each([
    ['nothing', 0, 16 * 1024],
    ['one byte', 1, 1],
    ['TLS-record chunks over several batches', 3 * BATCH_BYTES + 12_345, 16 * 1024],
    ['one-byte chunks (the chunk cap, not the byte count, starts each write)', 5_000, 1],
    ['chunks bigger than a batch', 2 * BATCH_BYTES + 7, BATCH_BYTES + 3],
  ])('%s: the file, the byte count, the SHA-256 and progress match what was sent', async (_name, size, chunk) => {
    const data = randomBytes(size);
    const file = path.join(dir, `whole-${size}-${chunk}.bin`);
    const result = await receive(file, chunked(data, chunk));
    expect(readFileSync(file).equals(data)).toBe(true);
    expect(result.bytes).toBe(size);
    expect(result.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(result.progress.at(-1) ?? 0).toBe(size);
    expect(result.progress).toEqual([...result.progress].sort((a, b) => a - b));
  });

  it('a resume writes at the position and leaves the bytes before it alone', async () => {
    const file = path.join(dir, 'resume.bin');
    const head = randomBytes(1000);
    const tail = randomBytes(BATCH_BYTES + 500);
    writeFileSync(file, head);
    const result = await receive(file, chunked(tail, 16 * 1024), { position: head.length, flags: 'r+' });
    expect(result.bytes).toBe(tail.length);
    expect(readFileSync(file).equals(Buffer.concat([head, tail]))).toBe(true);
  });

  it('bytes beyond the limit: FTPSCTL_ERR_VERIFY, and the file holds only the bytes up to the limit', async () => {
    const data = randomBytes(BATCH_BYTES + 50_000);
    const file = path.join(dir, 'limit.bin');
    const limit = BATCH_BYTES + 1000;
    await expect(receive(file, chunked(data, 16 * 1024), { limitBytes: limit })).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_VERIFY',
      message: expect.stringContaining(`more than the ${limit} bytes it announced`),
    });
    expect(readFileSync(file).equals(data.subarray(0, limit))).toBe(true);
  });

  it('the limit exactly met is no failure', async () => {
    const data = randomBytes(40_000);
    const file = path.join(dir, 'limit-exact.bin');
    await expect(receive(file, chunked(data, 16 * 1024), { limitBytes: data.length })).resolves.toMatchObject({
      bytes: data.length,
    });
  });

  it('a connection that fails after some bytes: the error is passed on, and the bytes that arrived are on disk', async () => {
    const file = path.join(dir, 'cut.bin');
    const fd = openSync(file, 'w');
    const socket = new PassThrough();
    const arrived = randomBytes(100_000);
    const cut = new Error('the server hung up');
    const received = receiveToFile(socket, { fd, position: 0, file });
    socket.write(arrived);
    setImmediate(() => socket.destroy(cut));
    await expect(received).rejects.toBe(cut);
    closeSync(fd);
    expect(readFileSync(file).equals(arrived)).toBe(true);
  });

  it('a write the file system refuses is FTPSCTL_ERR_LOCAL_FILE naming the file and the errno', async () => {
    await expect(receive('/dev/full', chunked(randomBytes(BATCH_BYTES + 1), 16 * 1024))).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_LOCAL_FILE',
      message: 'cannot write the local file /dev/full: no space left on device (ENOSPC)',
    });
  });

  it('pauses the connection while a full batch waits for the write before it', async () => {
    const file = path.join(dir, 'backpressure.bin');
    const fd = openSync(file, 'w');
    const socket = new PassThrough({ highWaterMark: 16 * 1024 });
    const received = receiveToFile(socket, { fd, position: 0, file });
    // Two full batches in one go: the first is being written when the second is complete.
    const data = randomBytes(2 * BATCH_BYTES + 16 * 1024);
    let pausedSeen = false;
    for (const chunk of chunked(data, 16 * 1024)) {
      socket.write(chunk);
      if (socket.isPaused()) pausedSeen = true;
    }
    socket.end();
    await expect(received).resolves.toBe(data.length);
    closeSync(fd);
    expect(pausedSeen).toBe(true);
    expect(readFileSync(file).equals(data)).toBe(true);
  });
});
