/**
 * Property tests of the policy XML parser (issue 12's standing suite): whatever the bytes,
 * `parsePolicyBytes` / `parsePolicyText` return a policy or problems (never throw), every
 * problem names the file and a line and column inside it, and the problems listed are capped.
 * FTPSCTL_FUZZ_RUNS sets the cases per property (`npm run fuzz`: 100,000).
 */
import fc from 'fast-check';
import { FUZZ_RUNS, fuzzParameters, fuzzTimeout, hostileText, mutated } from '../../test/hardening/fuzz';
import { MAX_LISTED_PROBLEMS, parsePolicyBytes, parsePolicyText, type ParsedPolicy } from './parse-policy';

const FILE = '/etc/ftpsctl/policies/fuzz.xml';

function check(text: string, parsed: ParsedPolicy): void {
  const lines = text.split('\n').length;
  expect(Array.isArray(parsed.problems)).toBe(true);
  expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/);
  // entity problems: 20 and a count; other problems: 100 and a count
  expect(parsed.problems.length).toBeLessThanOrEqual(MAX_LISTED_PROBLEMS + 1);
  for (const problem of parsed.problems) {
    expect(problem.file).toBe(FILE);
    expect(Number.isInteger(problem.line)).toBe(true);
    expect(problem.line).toBeGreaterThanOrEqual(1);
    expect(problem.line).toBeLessThanOrEqual(lines);
    expect(problem.column).toBeGreaterThanOrEqual(1);
    expect(problem.message).not.toMatch(/^\s*$/);
    expect(problem.message).not.toMatch(/\n\s+at /); // never a stack trace
  }
  if (parsed.policy) {
    expect(parsed.problems).toEqual([]);
    for (const setting of parsed.policy.settings) expect(setting.line).toBeLessThanOrEqual(lines);
  }
}

function parseText(text: string): ParsedPolicy {
  try {
    return parsePolicyText(text, FILE);
  } catch (error) {
    throw new Error(`parsePolicyText threw ${String(error)} for ${JSON.stringify(text.slice(0, 300))}`);
  }
}

const NAMES = [
  'policy',
  'setting',
  'value',
  'appliesTo',
  'host',
  'profile',
  'description',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'x:policy',
  'a',
  '#text',
  '@_path',
];
const ATTRIBUTES = [
  'xmlns',
  'name',
  'scope',
  'priority',
  'path',
  'enforce',
  '__proto__',
  'constructor',
  'xmlns:x',
  'x:name',
];
const VALUES = [
  'urn:ftpsctl:policy:1',
  'corp',
  'machine',
  'user',
  '100',
  '-1',
  '1e400',
  'tls.minVersion',
  'host',
  'tls.enabled',
  'mandatory',
  'floor',
  'allow',
  'deny',
  '__proto__',
  '*.corp.example',
  '&amp;',
  '&nbsp;',
  '&#x0;',
  '&#1114112;',
  '<',
  '"',
];
const TEXTS = [
  'true',
  'false',
  'TLSv1.3',
  '*.corp.example',
  '&lt;',
  '&bogus;',
  '&#65;',
  ' ',
  '\n',
  '\r\n',
  '\u0000',
  '\uFFFD',
  ']]>',
  '<!-- c -->',
  '<![CDATA[<x>]]>',
  '<?pi x?>',
  '<!DOCTYPE p [<!ENTITY e "x">]>',
  '&e;',
];

/** XML-shaped documents built from the policy vocabulary, hostile names and text included. */
const element: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...TEXTS),
    fc
      .tuple(
        fc.constantFrom(...NAMES),
        fc.array(fc.tuple(fc.constantFrom(...ATTRIBUTES), fc.constantFrom(...VALUES), fc.constantFrom('"', "'")), {
          maxLength: 4,
        }),
        fc.array(tie('node'), { maxLength: 4 }),
        fc.boolean(),
      )
      .map(([name, attributes, children, selfClosing]) => {
        const attrs = attributes.map(([a, v, q]) => ` ${a}=${q}${v}${q}`).join('');
        return selfClosing && children.length === 0
          ? `<${name}${attrs}/>`
          : `<${name}${attrs}>${children.join('')}</${name}>`;
      }),
  ),
})).node;

const VALID =
  '<?xml version="1.0" encoding="UTF-8"?>\n<policy xmlns="urn:ftpsctl:policy:1" name="corp" scope="machine" priority="100">\n  <description>Baseline</description>\n  <appliesTo><host>*.corp.example</host></appliesTo>\n  <setting path="tls.minVersion" enforce="floor">TLSv1.2</setting>\n  <setting path="host" enforce="allow"><value>*.corp.example</value></setting>\n</policy>\n';

const documents = fc.oneof(
  element.map((body) => `<policy xmlns="urn:ftpsctl:policy:1" name="f" scope="machine" priority="1">${body}</policy>`),
  element,
  mutated(
    fc.constant(VALID),
    fc.oneof(
      fc.constantFrom(
        '<',
        '>',
        '/',
        '"',
        '=',
        '&',
        ';',
        '<!--',
        '-->',
        '<![CDATA[',
        ']]>',
        '<?',
        '?>',
        '<!DOCTYPE x>',
        '__proto__',
        '\u0000',
        '\r',
        '\n',
      ),
      hostileText({ maxLength: 3 }),
    ),
  ),
  hostileText({
    alphabet: [
      '<',
      '>',
      '/',
      '"',
      "'",
      '=',
      '&',
      ';',
      '!',
      '?',
      '-',
      '[',
      ']',
      'policy',
      'setting',
      ' ',
      '\n',
      'a',
      ':',
      '__proto__',
    ],
  }),
  fc
    .tuple(fc.nat({ max: 3000 }), fc.constantFrom('b', '__proto__', 'setting', 'value'))
    .map(
      ([depth, name]) =>
        `<policy xmlns="urn:ftpsctl:policy:1" name="d" scope="machine" priority="1"><description>${`<${name}>`.repeat(depth)}${`</${name}>`.repeat(depth)}</description></policy>`,
    ),
);

describe(`policy XML under fuzzing (${FUZZ_RUNS} cases per property)`, () => {
  it(
    'parsePolicyText never throws; every problem names the file and a line and column inside it',
    () => {
      fc.assert(
        fc.property(documents, (text) => check(text, parseText(text))),
        fuzzParameters(),
      );
    },
    fuzzTimeout(5),
  );

  it(
    'parsePolicyBytes never throws on any bytes (BOMs, UTF-16, UTF-32, invalid UTF-8)',
    () => {
      const bom = fc.constantFrom(
        Buffer.alloc(0),
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from([0xff, 0xfe]),
        Buffer.from([0xfe, 0xff]),
        Buffer.from([0xff, 0xfe, 0, 0]),
        Buffer.from([0, 0, 0xfe, 0xff]),
      );
      const encoded = fc.oneof(
        documents.map((t) => Buffer.from(t, 'utf8')),
        documents.map((t) => Buffer.from(t, 'utf16le')),
        fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
      );
      fc.assert(
        fc.property(bom, encoded, (prefix, body) => {
          const bytes = Buffer.concat([prefix, body]);
          let parsed: ParsedPolicy;
          try {
            parsed = parsePolicyBytes(bytes, FILE);
          } catch (error) {
            throw new Error(`parsePolicyBytes threw ${String(error)} for ${bytes.toString('hex').slice(0, 400)}`);
          }
          check(bytes.toString('utf8'), parsed);
          expect(parsed.policy === undefined || parsed.problems.length === 0).toBe(true);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(5),
  );
});
