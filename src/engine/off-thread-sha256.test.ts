/**
 * The off-thread SHA-256 must equal the inline one for every way a stream can be cut: empty,
 * one byte, chunks that fill a slot exactly, span several slots, or outrun the ring (so that
 * update() has to wait for the worker). Small slots make every path run with little data.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import fc from 'fast-check';
import { OffThreadSha256 } from './off-thread-sha256';
import { TransferMeter } from './transfer-meter';

const inline = (chunks: Buffer[]): string => {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
};

async function offThread(
  chunks: Buffer[],
  options: { slotCount: number; slotBytes: number },
): Promise<{ hex: string; waited: number }> {
  const hasher = new OffThreadSha256(options);
  let waited = 0;
  for (const chunk of chunks) {
    const wait = hasher.update(chunk);
    if (wait) {
      waited += 1;
      await wait;
    }
  }
  return { hex: await hasher.digest(), waited };
}

describe('OffThreadSha256', () => {
  it.each([
    ['nothing', []],
    ['one byte', [Buffer.from([7])]],
    ['exactly one slot', [randomBytes(64)]],
    ['a chunk spanning three slots', [randomBytes(64 * 3 + 5)]],
    ['many small chunks', Array.from({ length: 100 }, (_, i) => randomBytes(i % 17))],
  ] as Array<[string, Buffer[]]>)('hashes %s like createHash', async (_what, chunks) => {
    expect((await offThread(chunks, { slotCount: 2, slotBytes: 64 })).hex).toBe(inline(chunks));
  });

  it('makes the writer wait when every slot is being hashed, and still gets every byte', async () => {
    const chunks = Array.from({ length: 200 }, () => randomBytes(48));
    const result = await offThread(chunks, { slotCount: 2, slotBytes: 64 });
    expect(result.hex).toBe(inline(chunks));
    expect(result.waited).toBeGreaterThan(0);
  });

  it('equals createHash for any cut of any bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 128 }),
        async (arrays, slotCount, slotBytes) => {
          const chunks = arrays.map((a) => Buffer.from(a));
          expect((await offThread(chunks, { slotCount, slotBytes })).hex).toBe(inline(chunks));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('TransferMeter', () => {
  it.each([false, true])('passes every byte through and hashes it (off the main thread: %s)', async (offThreadHash) => {
    const chunks = Array.from({ length: 50 }, (_, i) => randomBytes(1000 + i * 37));
    const meter = new TransferMeter({ sha256: true, offThread: offThreadHash });
    const received: Buffer[] = [];
    await pipeline(Readable.from(chunks), meter, async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source) received.push(chunk);
    });
    expect(Buffer.concat(received).equals(Buffer.concat(chunks))).toBe(true);
    expect(meter.bytes).toBe(Buffer.concat(chunks).length);
    expect(meter.digest()).toBe(inline(chunks));
  });

  it('hashes off the main thread only for big expected transfers, and starts no worker before the first byte', async () => {
    const small = new TransferMeter({ sha256: true, expectedBytes: 1024 });
    const big = new TransferMeter({ sha256: true, expectedBytes: 1024 ** 3 });
    const worker = (meter: TransferMeter) => (meter as unknown as { offThread?: unknown }).offThread;
    // A command the server refuses never runs the pipeline: no worker may be left holding the process.
    expect(worker(big)).toBeUndefined();
    const chunk = randomBytes(100);
    await new Promise<void>((resolve) => big.write(chunk, () => resolve()));
    expect(worker(big)).toBeInstanceOf(OffThreadSha256);
    big.resume();
    big.end();
    await new Promise((resolve) => big.once('end', resolve));
    expect(big.digest()).toBe(inline([chunk]));
    small.end(chunk);
    small.resume();
    await new Promise((resolve) => small.once('end', resolve));
    expect(worker(small)).toBeUndefined();
    expect(small.digest()).toBe(inline([chunk]));
  });

  it('gives the digest of no bytes when nothing passed', async () => {
    const meter = new TransferMeter({ sha256: true, offThread: true });
    meter.resume();
    meter.end();
    await new Promise((resolve) => meter.once('end', resolve));
    expect(meter.digest()).toBe(inline([]));
  });

  it('has no digest when not asked for one', async () => {
    const meter = new TransferMeter({ sha256: false });
    await pipeline(Readable.from([Buffer.from('abc')]), meter, async (source: AsyncIterable<Buffer>) => {
      for await (const _chunk of source) void _chunk;
    });
    expect(meter.digest()).toBeUndefined();
    expect(meter.bytes).toBe(3);
  });
});
