import { Readable } from 'node:stream';
import fc from 'fast-check';
import { boundedLines, type BoundedLine } from './bounded-lines';

async function collect(chunks: Array<Buffer | string>, max: number): Promise<BoundedLine[]> {
  const out: BoundedLine[] = [];
  for await (const item of boundedLines(Readable.from(chunks), max)) out.push(item);
  return out;
}

describe('boundedLines', () => {
  it('splits on LF, drops a CR before it, and keeps a last line without LF', async () => {
    expect(await collect(['a\r\nb', 'c\n\nd'], 10)).toEqual([
      { line: 'a' },
      { line: 'bc' },
      { line: '' },
      { line: 'd' },
    ]);
  });

  it('keeps a multi-byte character split across chunks whole', async () => {
    const bytes = Buffer.from('é€\n', 'utf8');
    expect(await collect([bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4)], 10)).toEqual([
      { line: 'é€' },
    ]);
  });

  it('skips a line longer than the limit, says its length, and reads on', async () => {
    const long = Buffer.alloc(25, 0);
    expect(await collect(['ok\n', long.subarray(0, 10), long.subarray(10), '\nnext\n'], 8)).toEqual([
      { line: 'ok' },
      { overlongBytes: 25 },
      { line: 'next' },
    ]);
    expect(await collect([Buffer.alloc(9, 0x41)], 8)).toEqual([{ overlongBytes: 9 }]);
    expect(await collect([Buffer.alloc(8, 0x41)], 8)).toEqual([{ line: 'AAAAAAAA' }]);
  });

  it('gives the same lines as split("\\n") for any chunking, when no line is too long', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme' }), fc.array(fc.nat(40), { maxLength: 6 }), async (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
        const chunks: Buffer[] = [];
        let from = 0;
        for (const p of [...points, bytes.length]) {
          chunks.push(bytes.subarray(from, p));
          from = p;
        }
        const expected = text.split('\n').map((line) => ({ line: line.replace(/\r$/, '') }));
        if (text.endsWith('\n') || text === '') expected.pop();
        expect(await collect(chunks, 1_000_000)).toEqual(expected);
      }),
    );
  });
});
