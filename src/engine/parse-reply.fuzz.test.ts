/**
 * Property tests of the control-connection reply parser and reader (issue 12's standing
 * suite): whatever a server sends, `parseReplies` returns replies and a problem value (never
 * throws), and `ReplyReader` gives the same replies however the bytes are cut into packets,
 * or fails with FTPSCTL_ERR_PROTOCOL; nothing it keeps outgrows what it was sent.
 * FTPSCTL_FUZZ_RUNS sets the cases per property (`npm run fuzz`: 100,000).
 */
import fc from 'fast-check';
import { FUZZ_RUNS, fuzzParameters, fuzzTimeout, hostileText } from '../../test/hardening/fuzz';
import { SessionError } from '../errors';
import { MAX_REPLY_LINE, parseReplies, type FtpReply } from './parse-reply';
import { ReplyReader } from './reply-reader';

const code = fc.oneof(
  fc.integer({ min: 100, max: 599 }).map(String),
  fc.constantFrom('000', '999', '12', '1234', 'abc', '2x0', ''),
);
const text = hostileText({
  maxLength: 6,
  alphabet: [' ', '-', '\r', '\t', '220', '211-', '211 ', '553-', '150 ', 'é', '\uFFFD', 'x'],
}).map((t) => t.replace(/\n/g, ''));
const line = fc.oneof(
  fc.tuple(code, fc.constantFrom(' ', '-', ''), text).map(([c, sep, t]) => `${c}${sep}${t}`),
  text,
  fc.constantFrom(' 211 indented', 'x'.repeat(MAX_REPLY_LINE + 1), ''),
);
const ending = fc.constantFrom('\r\n', '\n', '\r', '');
/** What a server could send on the control connection: reply-shaped lines and noise. */
const stream = fc
  .array(fc.tuple(line, ending), { maxLength: 12 })
  .map((parts) => parts.map(([l, e]) => l + e).join(''));

describe(`FTP replies under fuzzing (${FUZZ_RUNS} cases per property)`, () => {
  it(
    'parseReplies never throws; codes are 100-599; the rest is the unparsed tail; replies never outnumber lines',
    () => {
      fc.assert(
        fc.property(stream, (input) => {
          const parsed = parseReplies(input);
          expect(input.endsWith(parsed.rest)).toBe(true);
          const lines = input.split('\n').length;
          expect(parsed.replies.length).toBeLessThanOrEqual(lines);
          for (const reply of parsed.replies) {
            expect(reply.code).toBeGreaterThanOrEqual(100);
            expect(reply.code).toBeLessThanOrEqual(599);
            expect(reply.lines.length).toBeGreaterThanOrEqual(1);
            expect(typeof reply.message).toBe('string');
          }
          if (parsed.problem !== undefined) expect(parsed.problem.length).toBeLessThan(300);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(2),
  );

  it(
    'ReplyReader: the same replies however the bytes are cut, then FTPSCTL_ERR_PROTOCOL for a malformed one',
    async () => {
      await fc.assert(
        fc.asyncProperty(stream, fc.array(fc.nat(), { maxLength: 8 }), async (input, cuts) => {
          const whole = parseReplies(input);
          const bytes = Buffer.from(input, 'utf8');
          const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort(
            (a, b) => a - b,
          );
          const reader = new ReplyReader('fuzz.example');
          let from = 0;
          for (const point of [...points, bytes.length]) {
            reader.push(bytes.subarray(from, point));
            from = point;
          }
          const got: FtpReply[] = [];
          for (let i = 0; i < whole.replies.length; i++) got.push(await reader.next(Number.POSITIVE_INFINITY, 'fuzz'));
          expect(got).toEqual(whole.replies);
          if (whole.problem !== undefined) {
            const error = await reader.next(Number.POSITIVE_INFINITY, 'fuzz').then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error).toBeInstanceOf(SessionError);
            expect((error as SessionError).code).toBe('FTPSCTL_ERR_PROTOCOL');
          }
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(3),
  );

  it(
    'ReplyReader: a server that never ends a line fails after MAX_REPLY_LINE bytes, whatever the packet sizes',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 20 }),
          async (sizes) => {
            const reader = new ReplyReader('fuzz.example');
            let sent = 0;
            for (let i = 0; sent <= MAX_REPLY_LINE; i++) {
              const size = sizes[i % sizes.length];
              reader.push(Buffer.alloc(size, 0x41));
              sent += size;
            }
            const error = await reader.next(Number.POSITIVE_INFINITY, 'fuzz').then(
              () => undefined,
              (e: unknown) => e,
            );
            expect((error as SessionError).code).toBe('FTPSCTL_ERR_PROTOCOL');
          },
        ),
        fuzzParameters(Math.min(FUZZ_RUNS, 2000)),
      );
    },
    fuzzTimeout(3),
  );
});
