/**
 * A strict JSON parser that remembers where every value came from.
 *
 * JSON.parse loses positions and silently keeps the last of two duplicate keys; a profile
 * error must name the line and column, and a duplicate key is a mistake to report. This is
 * a pure function: text in, value plus a pointer -> position map (and problems) out.
 */

export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in UTF-16 code units like most editors. */
  column: number;
  offset: number;
}

export interface PointerLocation {
  /** Where the value starts. */
  value: SourcePosition;
  /** Where the member's key starts (absent for array items and the root). */
  key?: SourcePosition;
}

export interface JsonProblem {
  pointer: string;
  position: SourcePosition;
  message: string;
}

export interface JsonDocument {
  value: unknown;
  /** JSON pointer (RFC 6901) -> location in the text. */
  locations: Map<string, PointerLocation>;
  /** Problems that do not stop parsing (duplicate keys). */
  problems: JsonProblem[];
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

const MAX_DEPTH = 64;

/** RFC 8259 number grammar, sticky: matched in place (no copy of the rest of the text). */
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/** A number as written, shortened for a message. */
function clip(written: string): string {
  return written.length > 40
    ? `${written.slice(0, 20)}...${written.slice(-10)} (${written.length} characters)`
    : written;
}

export function parseJsonDocument(text: string): JsonDocument {
  return new Parser(text).parseDocument();
}

class Parser {
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  private readonly locations = new Map<string, PointerLocation>();
  private readonly problems: JsonProblem[] = [];

  constructor(private readonly text: string) {}

  parseDocument(): JsonDocument {
    this.skipWhitespace();
    if (this.offset >= this.text.length)
      this.fail('the file is empty; a profile is a JSON object such as {"name": "...", "host": "..."}');
    const value = this.parseValue('', 0, undefined);
    this.skipWhitespace();
    if (this.offset < this.text.length)
      this.fail(`unexpected ${this.describeHere()} after the end of the JSON value; remove it`);
    return { value, locations: this.locations, problems: this.problems };
  }

  private position(): SourcePosition {
    return { line: this.line, column: this.offset - this.lineStart + 1, offset: this.offset };
  }

  private fail(message: string, position = this.position()): never {
    throw new JsonSyntaxError(message, position);
  }

  private describeHere(): string {
    if (this.offset >= this.text.length) return 'end of file';
    const ch = this.text[this.offset];
    if (ch === '\n' || ch === '\r') return 'end of line';
    if (ch === "'") return 'single quote (JSON strings use double quotes)';
    return `character ${JSON.stringify(ch)}`;
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.offset < text.length) {
      const ch = text.charCodeAt(this.offset);
      if (ch === 0x20 || ch === 0x09 || ch === 0x0d) {
        this.offset++;
      } else if (ch === 0x0a) {
        this.offset++;
        this.line++;
        this.lineStart = this.offset;
      } else if (ch === 0x2f && (text[this.offset + 1] === '/' || text[this.offset + 1] === '*')) {
        this.fail(
          'comments are not allowed in JSON; remove it, or put the note in the profile\'s top-level "description" string',
        );
      } else {
        return;
      }
    }
  }

  private parseValue(pointer: string, depth: number, key: SourcePosition | undefined): unknown {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels; a profile is never that deep`);
    const start = this.position();
    this.locations.set(pointer, key ? { value: start, key } : { value: start });
    const ch = this.text[this.offset];
    switch (ch) {
      case '{':
        return this.parseObject(pointer, depth);
      case '[':
        return this.parseArray(pointer, depth);
      case '"': {
        const value = this.parseString();
        // \ud800 alone parses, but is no character: it can't be sent as UTF-8 (a USER, a path) or shown.
        if (!value.isWellFormed())
          this.problems.push({
            pointer,
            position: start,
            message:
              'the string holds a lone UTF-16 surrogate (a \\uD800-\\uDFFF escape without its pair), which is no character; write the character itself, or both halves of its pair',
          });
        return value;
      }
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      default:
        if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.parseNumber();
        if (ch !== undefined && /[A-Za-z_]/.test(ch)) return this.parseLiteral('', null);
        this.fail(
          `expected a JSON value (object, array, string, number, true, false or null), found ${this.describeHere()}`,
        );
    }
  }

  private parseObject(pointer: string, depth: number): Record<string, unknown> {
    // Null prototype: keys such as "__proto__" or "constructor" are plain data here.
    const result: Record<string, unknown> = Object.create(null);
    const seen = new Map<string, SourcePosition>();
    this.offset++; // {
    this.skipWhitespace();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.offset] !== '"') {
        if (this.text[this.offset] === '}') this.fail('trailing comma before "}"; remove the last ","');
        this.fail(`expected a key in double quotes, found ${this.describeHere()}`);
      }
      const keyPosition = this.position();
      const key = this.parseString();
      const memberPointer = `${pointer}/${escapePointerToken(key)}`;
      const earlier = seen.get(key);
      if (earlier) {
        this.problems.push({
          pointer: memberPointer,
          position: keyPosition,
          message: `duplicate key "${key}" (first at line ${earlier.line}, column ${earlier.column}); keep only one`,
        });
      } else {
        seen.set(key, keyPosition);
      }
      this.skipWhitespace();
      if (this.text[this.offset] !== ':')
        this.fail(`expected ":" after the key "${key}", found ${this.describeHere()}`);
      this.offset++;
      this.skipWhitespace();
      const firstLocation = this.locations.get(memberPointer);
      const value = this.parseValue(memberPointer, depth + 1, keyPosition);
      // A duplicate reports at its own place but the first occurrence stays the value.
      if (earlier && firstLocation) {
        this.locations.set(memberPointer, firstLocation);
      } else {
        result[key] = value;
      }
      this.skipWhitespace();
      const next = this.text[this.offset];
      if (next === ',') {
        this.offset++;
        continue;
      }
      if (next === '}') {
        this.offset++;
        return result;
      }
      this.fail(`expected "," or "}" after the value of "${key}", found ${this.describeHere()}`);
    }
  }

  private parseArray(pointer: string, depth: number): unknown[] {
    const result: unknown[] = [];
    this.offset++; // [
    this.skipWhitespace();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.offset] === ']') this.fail('trailing comma before "]"; remove the last ","');
      result.push(this.parseValue(`${pointer}/${result.length}`, depth + 1, undefined));
      this.skipWhitespace();
      const next = this.text[this.offset];
      if (next === ',') {
        this.offset++;
        continue;
      }
      if (next === ']') {
        this.offset++;
        return result;
      }
      this.fail(`expected "," or "]" in the array, found ${this.describeHere()}`);
    }
  }

  private parseString(): string {
    const start = this.position();
    this.offset++; // opening quote
    let out = '';
    let chunkStart = this.offset;
    const text = this.text;
    for (;;) {
      if (this.offset >= text.length) this.fail('unterminated string: add the closing double quote', start);
      const code = text.charCodeAt(this.offset);
      if (code === 0x22) {
        out += text.slice(chunkStart, this.offset);
        this.offset++;
        return out;
      }
      if (code === 0x5c) {
        out += text.slice(chunkStart, this.offset);
        out += this.parseEscape();
        chunkStart = this.offset;
        continue;
      }
      if (code < 0x20) {
        if (code === 0x0a || code === 0x0d)
          this.fail('unterminated string: a string cannot span lines; add the closing double quote', start);
        this.fail('control character inside a string; write it as an escape such as \\t');
      }
      this.offset++;
    }
  }

  private parseEscape(): string {
    const escapeStart = this.position();
    const ch = this.text[this.offset + 1];
    this.offset += 2;
    switch (ch) {
      case '"':
        return '"';
      case '\\':
        return '\\';
      case '/':
        return '/';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'u': {
        const hex = this.text.slice(this.offset, this.offset + 4);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex))
          this.fail('invalid \\u escape: it needs exactly four hex digits', escapeStart);
        this.offset += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      default:
        this.fail(`invalid escape "\\${ch ?? ''}" in a string; a backslash is written as "\\\\"`, escapeStart);
    }
  }

  private parseNumber(): number {
    const start = this.position();
    NUMBER.lastIndex = this.offset;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail(`invalid number, found ${this.describeHere()}`);
    const written = match[0];
    const after = this.text[this.offset + written.length];
    if (after !== undefined && /[0-9A-Za-z.+-]/.test(after)) {
      this.fail(
        `invalid number "${clip(this.text.slice(this.offset, this.offset + written.length + 1))}" (leading zeros, hex and trailing dots are not JSON)`,
        start,
      );
    }
    const value = Number(written);
    // JSON allows any digits; a double does not: 1e400 would become Infinity (and print as null).
    if (!Number.isFinite(value))
      this.fail(
        `the number ${clip(written)} is too large (the largest is about 1.8e308); write the value the setting needs`,
        start,
      );
    if (/^-?[0-9]+$/.test(written) && !Number.isSafeInteger(value)) {
      this.fail(
        `the integer ${clip(written)} is too large to keep exactly (more than 2^53 - 1); write the value the setting needs`,
        start,
      );
    }
    this.offset += written.length;
    return value;
  }

  private parseLiteral<T>(word: string, value: T): T {
    if (word && this.text.startsWith(word, this.offset)) {
      const after = this.text[this.offset + word.length];
      if (after === undefined || !/[A-Za-z0-9_]/.test(after)) {
        this.offset += word.length;
        return value;
      }
    }
    const bare = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.offset, this.offset + 80));
    const found = bare ? bare[0] : this.text[this.offset];
    this.fail(`unexpected word "${found}"; strings need double quotes ("${found}")`);
  }
}
