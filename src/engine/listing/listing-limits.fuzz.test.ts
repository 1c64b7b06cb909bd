/**
 * Property tests of the listing limits (issue 12, defect 7): whatever chunks a server sends,
 * ListingLimiter either keeps them all (within both limits, byte for byte) or throws
 * FTPSCTL_ERR_TRANSFER naming the setting, at the first chunk that goes beyond; it never
 * holds more than maxListingBytes. FTPSCTL_FUZZ_RUNS sets the cases (`npm run fuzz`: 100,000).
 */
import fc from 'fast-check';
import { fuzzParameters, fuzzTimeout } from '../../../test/hardening/fuzz';
import { SessionError } from '../../errors';
import { ListingLimiter } from './listing-limits';

const chunk = fc
  .uint8Array({ maxLength: 64 })
  .chain((bytes) =>
    fc.constantFrom(Buffer.from(bytes), Buffer.from(Array.from(bytes, (b) => (b % 3 === 0 ? 0x0a : b)))),
  );

describe('ListingLimiter under fuzzing', () => {
  it(
    'keeps every byte within the limits, else throws FTPSCTL_ERR_TRANSFER at the first chunk beyond',
    () => {
      fc.assert(
        fc.property(
          fc.array(chunk, { maxLength: 30 }),
          fc.integer({ min: 1, max: 400 }),
          fc.integer({ min: 1, max: 60 }),
          (chunks, maxBytes, maxEntries) => {
            const limiter = new ListingLimiter({ maxBytes, maxEntries }, { command: 'LIST', folder: '.', host: 'h' });
            let size = 0;
            let lines = 0;
            for (const piece of chunks) {
              const nextSize = size + piece.length;
              const nextLines = lines + piece.filter((b) => b === 0x0a).length;
              if (nextSize > maxBytes || nextLines > maxEntries) {
                let thrown: unknown;
                try {
                  limiter.add(piece);
                } catch (error) {
                  thrown = error;
                }
                expect(thrown).toBeInstanceOf(SessionError);
                expect((thrown as SessionError).code).toBe('FTPSCTL_ERR_TRANSFER');
                expect((thrown as SessionError).message).toMatch(
                  nextSize > maxBytes ? /transfer\.maxListingBytes/ : /transfer\.maxListingEntries/,
                );
                expect(limiter.bytes().length).toBe(size);
                return;
              }
              limiter.add(piece);
              size = nextSize;
              lines = nextLines;
            }
            expect(limiter.bytes().equals(Buffer.concat(chunks))).toBe(true);
          },
        ),
        fuzzParameters(),
      );
    },
    fuzzTimeout(),
  );
});
