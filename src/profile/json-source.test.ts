import { JsonSyntaxError, parseJsonDocument } from './json-source';

function syntaxError(text: string): { message: string; line: number; column: number } {
  try {
    parseJsonDocument(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError)
      return { message: error.message, line: error.position.line, column: error.position.column };
    throw error;
  }
  throw new Error('expected a syntax error');
}

describe('parseJsonDocument', () => {
  it('parses every JSON value type like JSON.parse', () => {
    const text =
      '{"s": "a\\u00e9\\n\\"", "n": -1.5e3, "t": true, "f": false, "z": null, "a": [1, [2], {}], "o": {"k": "v"}}';
    expect(JSON.stringify(parseJsonDocument(text).value)).toBe(JSON.stringify(JSON.parse(text)));
  });

  it('maps pointers to the line and column of keys and values', () => {
    const doc = parseJsonDocument('{\n  "tls": {\n    "pki": {"crlFiles": ["a", "b"]}\n  }\n}');
    expect(doc.locations.get('')?.value).toMatchObject({ line: 1, column: 1 });
    expect(doc.locations.get('/tls')).toMatchObject({ key: { line: 2, column: 3 }, value: { line: 2, column: 10 } });
    expect(doc.locations.get('/tls/pki/crlFiles/1')?.value).toMatchObject({ line: 3, column: 31 });
  });

  it('escapes "/" and "~" in pointer tokens (RFC 6901)', () => {
    const doc = parseJsonDocument('{"a/b": {"c~d": 1}}');
    expect(doc.locations.has('/a~1b/c~0d')).toBe(true);
  });

  it('reports duplicate keys without stopping', () => {
    const doc = parseJsonDocument('{"a": 1,\n "b": 2,\n "a": 3,\n "a": 4}');
    expect(doc.problems.map((p) => [p.pointer, p.position.line, p.message])).toEqual([
      ['/a', 3, 'duplicate key "a" (first at line 1, column 2); keep only one'],
      ['/a', 4, 'duplicate key "a" (first at line 1, column 2); keep only one'],
    ]);
    expect(doc.value).toEqual({ a: 1, b: 2 });
  });

  it('counts lines and columns across CRLF line ends and multi-byte characters', () => {
    expect(syntaxError('{\r\n  "name": "é",\r\n  "x": tru\r\n}')).toEqual({
      message: 'unexpected word "tru"; strings need double quotes ("tru")',
      line: 3,
      column: 8,
    });
  });

  it.each([
    ['{"a": 01}', 'invalid number "01" (leading zeros, hex and trailing dots are not JSON)', 1, 7],
    ['{"a": 1.}', 'invalid number "1." (leading zeros, hex and trailing dots are not JSON)', 1, 7],
    ['{"a": 0x1F}', 'invalid number "0x" (leading zeros, hex and trailing dots are not JSON)', 1, 7],
    ['{"a": "\\x"}', 'invalid escape "\\x" in a string; a backslash is written as "\\\\"', 1, 8],
    ['{"a": "\\u12"}', 'invalid \\u escape: it needs exactly four hex digits', 1, 8],
    ['{"a": "x\ty"}', 'control character inside a string; write it as an escape such as \\t', 1, 9],
    ['{"a": "x\n"}', 'unterminated string: a string cannot span lines; add the closing double quote', 1, 7],
    ['{"a" 1}', 'expected ":" after the key "a", found character "1"', 1, 6],
    ['[1 2]', 'expected "," or "]" in the array, found character "2"', 1, 4],
    ['[1,]', 'trailing comma before "]"; remove the last ","', 1, 4],
    [
      '{"a": }',
      'expected a JSON value (object, array, string, number, true, false or null), found character "}"',
      1,
      7,
    ],
    ['{"a": 1', 'expected "," or "}" after the value of "a", found end of file', 1, 8],
    ['{} {}', 'unexpected character "{" after the end of the JSON value; remove it', 1, 4],
    [
      '/* c */ {}',
      'comments are not allowed in JSON; remove it, or put the note in the profile\'s top-level "description" string',
      1,
      1,
    ],
  ])('rejects %j', (text, message, line, column) => {
    expect(syntaxError(text)).toEqual({ message, line, column });
  });

  it('refuses nesting deeper than a profile could need', () => {
    expect(syntaxError(`${'['.repeat(100)}${']'.repeat(100)}`).message).toBe(
      'nesting deeper than 64 levels; a profile is never that deep',
    );
  });
});

describe('numbers a double cannot hold (issue 12: port 1e400 read "got number null")', () => {
  it.each([
    ['1e400', '1e400'],
    ['-1e400', '-1e400'],
    ['1E+400', '1E+400'],
    ['1.5e309', '1.5e309'],
  ])('%s is a syntax error at its place, not Infinity', (written, shown) => {
    expect(syntaxError(`{\n  "port": ${written}\n}`)).toEqual({
      line: 2,
      column: 11,
      message: `the number ${shown} is too large (the largest is about 1.8e308); write the value the setting needs`,
    });
  });

  it('a number of 500 digits is shortened in the message', () => {
    const digits = `1${'0'.repeat(499)}`;
    expect(syntaxError(`{"port": ${digits}}`).message).toBe(
      `the number ${digits.slice(0, 20)}...${digits.slice(-10)} (500 characters) is too large (the largest is about 1.8e308); write the value the setting needs`,
    );
  });

  it('an integer beyond 2^53 - 1 would silently change: refused', () => {
    expect(syntaxError('{"port": 9007199254740993}')).toEqual({
      line: 1,
      column: 10,
      message:
        'the integer 9007199254740993 is too large to keep exactly (more than 2^53 - 1); write the value the setting needs',
    });
    expect(parseJsonDocument('{"n": 9007199254740991}').value).toEqual({ n: 9007199254740991 });
  });

  it('still reads what a double holds: 1e308, 1e-400 (0), -0, 21.5', () => {
    expect(parseJsonDocument('[1e308, 1e-400, -0, 21.5, 1.7976931348623157e308]').value).toEqual([
      1e308,
      0,
      -0,
      21.5,
      Number.MAX_VALUE,
    ]);
  });

  it('a number that runs past 400 characters is still one number (no cut at a fixed window)', () => {
    const long = `0.${'1'.repeat(1000)}`;
    expect(parseJsonDocument(`{"n": ${long}}`).value).toEqual({ n: Number(long) });
  });

  it('"__proto__" and "constructor" keys are plain data with positions', () => {
    const doc = parseJsonDocument('{"__proto__": {"port": 1e2}, "constructor": 1}');
    const value = doc.value as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor']);
    expect(value['__proto__']).toEqual({ port: 100 });
    expect(doc.locations.get('/__proto__/port')?.value).toMatchObject({ line: 1, column: 24 });
  });
});
