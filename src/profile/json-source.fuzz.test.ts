/**
 * Property tests of the profile JSON parser (issue 12's standing suite): no untyped error,
 * no hang, memory bounded, and never a value JSON.parse would read differently.
 * FTPSCTL_FUZZ_RUNS sets the cases per property (`npm run fuzz`: 100,000).
 */
import fc from 'fast-check';
import { FUZZ_RUNS, fuzzParameters, fuzzTimeout, hostileText, mutated } from '../../test/hardening/fuzz';
import { JsonSyntaxError, parseJsonDocument, type JsonDocument } from './json-source';

type Outcome = { document: JsonDocument } | { error: JsonSyntaxError };

/** Runs the parser; anything thrown but a JsonSyntaxError fails the property. */
function parse(text: string): Outcome {
  try {
    return { document: parseJsonDocument(text) };
  } catch (error) {
    if (!(error instanceof JsonSyntaxError))
      throw new Error(`untyped error ${String(error)} for ${JSON.stringify(text.slice(0, 200))}`);
    return { error };
  }
}

function checkOutcome(text: string, outcome: Outcome): void {
  const lines = text.split('\n').length;
  if ('error' in outcome) {
    const { position, message } = outcome.error;
    expect(message.length).toBeGreaterThan(0);
    expect(message.length).toBeLessThan(400); // a message never echoes the whole input
    expect(position.line).toBeGreaterThanOrEqual(1);
    expect(position.line).toBeLessThanOrEqual(lines);
    expect(position.column).toBeGreaterThanOrEqual(1);
    expect(position.offset).toBeLessThanOrEqual(text.length);
    return;
  }
  // Memory bounded: one location per value, and a value takes at least one character.
  expect(outcome.document.locations.size).toBeLessThanOrEqual(text.length);
  expect(outcome.document.problems.length).toBeLessThanOrEqual(text.length);
  // Never a value JSON.parse reads differently (what we read, JSON.parse reads too, alike).
  expect(JSON.stringify(outcome.document.value)).toBe(JSON.stringify(JSON.parse(text)));
}

/** JSON-ish documents: real JSON values with profile-like keys, numbers at the edges, deep nests. */
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -0, 1e308, 2 ** 53 - 1, 5e-324, 'a\u0000b', '\uD800', '__proto__'),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'port', 'host', 'tls')),
      tie('value'),
      { maxKeys: 4 },
    ),
  ),
})).value;

const documents = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v, null, 2) ?? 'null'),
  mutated(
    jsonValue.map((v) => JSON.stringify(v) ?? 'null'),
    fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      '\\u',
      '1e400',
      '-',
      '.',
      '/*',
      '//',
      '\n',
      '\r',
      ' ',
      'tru',
      '00',
      '"__proto__":1',
    ),
  ),
  hostileText({
    alphabet: [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      '1',
      '0',
      'e',
      '+',
      '-',
      '.',
      'null',
      'true',
      ' ',
      '\n',
      '\t',
      '\u00a0',
      '/*',
      '//',
    ],
  }),
  fc
    .tuple(fc.nat({ max: 200 }), fc.constantFrom('[', '{"a":'))
    .map(([depth, open]) => `${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}`),
  fc
    .tuple(
      fc.constantFrom('1', '9', '-1', '0.'),
      fc.nat({ max: 500 }),
      fc.constantFrom('', 'e400', 'e-400', 'E+308', '.5'),
    )
    .map(([head, zeros, tail]) => `{"port": ${head}${'0'.repeat(zeros)}${tail}}`),
);

describe(`parseJsonDocument under fuzzing (${FUZZ_RUNS} cases per property)`, () => {
  it(
    'returns a document or throws JsonSyntaxError with a position inside the text; reads what JSON.parse reads',
    () => {
      fc.assert(
        fc.property(documents, (text) => checkOutcome(text, parse(text))),
        fuzzParameters(),
      );
    },
    fuzzTimeout(2),
  );

  it(
    'refuses only what JSON.parse refuses, or what a double can not hold, or nesting deeper than 64',
    () => {
      fc.assert(
        fc.property(documents, (text) => {
          let strict: unknown;
          try {
            strict = JSON.parse(text);
          } catch {
            return; // both refuse: fine
          }
          const outcome = parse(text);
          if ('document' in outcome) return;
          expect(outcome.error.message).toMatch(
            /too large|nesting deeper than 64|control character|^the file is empty/,
          );
          expect(strict === undefined).toBe(false);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(2),
  );
});
