/**
 * What every parser property test (`*.fuzz.test.ts`) shares: how many cases to run and the
 * jest timeout that goes with them. `npm test` runs a quick 300 cases per property;
 * `npm run fuzz` sets FTPSCTL_FUZZ_RUNS=100000. FTPSCTL_FUZZ_SEED replays a failing run
 * (fast-check prints the seed and the path of the shrunk counterexample).
 *
 * The properties are of three kinds, for every parser that reads bytes from outside:
 *  - no untyped error: the parser returns its result or problem value, or throws only its
 *    documented error type, whatever the input;
 *  - no hang: every case finishes; the test's timeout (generous, scaled with the run count)
 *    catches one that does not, and fast-check reports the input;
 *  - memory bounded: what a parser returns is bounded by what it was given (entries <= lines,
 *    problems <= a cap, pointers <= characters), so no input makes it build more than it read.
 * Resource use on large hostile inputs is measured from a child process (test/hardening).
 */
import fc from 'fast-check';

/** Cases per property: FTPSCTL_FUZZ_RUNS, else 300 (the quick run in `npm test`). */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FTPSCTL_FUZZ_RUNS) || 300);

/** fast-check parameters for one property. */
export function fuzzParameters(runs = FUZZ_RUNS): fc.Parameters<unknown> {
  const seed = process.env.FTPSCTL_FUZZ_SEED;
  return { numRuns: runs, ...(seed ? { seed: Number(seed) } : {}) };
}

/** A jest timeout for `runs` cases at up to `msPerCase` each, never below 60 s. */
export function fuzzTimeout(msPerCase = 5, runs = FUZZ_RUNS): number {
  return Math.max(60_000, runs * msPerCase);
}

/** Text with the characters parsers trip on more often than uniform strings would give them. */
export function hostileText(options: { maxLength?: number; alphabet?: string[] } = {}): fc.Arbitrary<string> {
  const specials = options.alphabet ?? [
    '\r',
    '\n',
    '\r\n',
    '\t',
    ' ',
    '\u0000',
    '\uFEFF',
    '\uFFFD',
    '\uD800',
    'é',
    '😀',
    '"',
    "'",
    '<',
    '>',
    '&',
    ';',
    '=',
    '/',
    '\\',
    '*',
    '?',
    '-',
    '.',
    ',',
    '(',
    ')',
    '|',
    '0',
    '9',
    '1e400',
  ];
  return fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...specials) },
        { weight: 2, arbitrary: fc.string({ maxLength: 8 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      ),
      { maxLength: options.maxLength ?? 60 },
    )
    .map((parts) => parts.join(''));
}

/** Inserts, deletes or replaces characters of a valid text: inputs near the valid ones. */
export function mutated(
  valid: fc.Arbitrary<string>,
  pieces: fc.Arbitrary<string> = hostileText({ maxLength: 4 }),
): fc.Arbitrary<string> {
  const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 12 }), insert: pieces });
  return fc.tuple(valid, fc.array(edit, { minLength: 1, maxLength: 6 })).map(([text, edits]) => {
    let out = text;
    for (const { at, cut, insert } of edits) {
      const i = out.length === 0 ? 0 : at % (out.length + 1);
      out = out.slice(0, i) + insert + out.slice(i + cut);
    }
    return out;
  });
}
