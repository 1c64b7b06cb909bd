/**
 * A pure reader and writer of Registry.pol files, the "Registry Policy File Format" (PReg
 * version 1) that Group Policy stores its registry-based settings in
 * (MS-GPREG §2.2.1, https://learn.microsoft.com/en-us/previous-versions/windows/desktop/policy/registry-policy-file-format):
 *
 *   header  = "PReg" (4 ASCII bytes) + version (uint32 LE, = 1)
 *   body    = *( "[" key ";" valueName ";" type ";" size ";" data "]" )
 *
 * Brackets and semicolons are UTF-16LE characters (2 bytes each); key and valueName are
 * UTF-16LE strings ending in a NUL character; type and size are uint32 LE; data is `size`
 * bytes. Every offset reported is a byte offset from the start of the file. No I/O.
 */

/** Registry value types (winnt.h) that Group Policy writes. */
export const REG_NONE = 0;
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_DWORD_BIG_ENDIAN = 5;
export const REG_MULTI_SZ = 7;
export const REG_QWORD = 11;

export const REG_TYPE_NAMES: Record<number, string> = {
  [REG_NONE]: 'REG_NONE',
  [REG_SZ]: 'REG_SZ',
  [REG_EXPAND_SZ]: 'REG_EXPAND_SZ',
  [REG_BINARY]: 'REG_BINARY',
  [REG_DWORD]: 'REG_DWORD',
  [REG_DWORD_BIG_ENDIAN]: 'REG_DWORD_BIG_ENDIAN',
  [REG_MULTI_SZ]: 'REG_MULTI_SZ',
  [REG_QWORD]: 'REG_QWORD',
};

export const typeName = (type: number): string => REG_TYPE_NAMES[type] ?? `type ${type}`;

const SIGNATURE = Buffer.from('PReg', 'ascii');
const VERSION = 1;
const HEADER_BYTES = 8;
const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const SEMICOLON = 0x3b; // ;

/** The decoded data of a record: text for REG_SZ / REG_EXPAND_SZ, texts for REG_MULTI_SZ, a number for the DWORDs, a bigint for REG_QWORD, bytes otherwise. */
export type RegistryData = string | string[] | number | bigint | Buffer;

/** One `[key;valueName;type;size;data]` record. */
export interface RegistryRecord {
  key: string;
  valueName: string;
  type: number;
  /** The `size` field: how many data bytes the record has. */
  size: number;
  data: RegistryData;
  /** Byte offset of the record's `[`. */
  offset: number;
}

/** A problem that makes the file unusable; `offset` is where reading stopped. */
export interface RegistryPolProblem {
  offset: number;
  message: string;
}

export interface ParsedRegistryPol {
  records: RegistryRecord[];
  /** Empty when the whole file was read. A malformed file has exactly one: reading cannot go on past it. */
  problems: RegistryPolProblem[];
}

/** Reads a whole Registry.pol. Never throws: a malformed file gives the records before the fault and one problem. */
export function parseRegistryPol(bytes: Buffer): ParsedRegistryPol {
  const records: RegistryRecord[] = [];
  const fail = (offset: number, message: string): ParsedRegistryPol => ({ records, problems: [{ offset, message }] });
  if (bytes.length < HEADER_BYTES)
    return fail(
      0,
      `is ${bytes.length} bytes: too short for the 8-byte PReg header (a Registry.pol starts with "PReg" and version 1)`,
    );
  if (!bytes.subarray(0, 4).equals(SIGNATURE)) {
    return fail(
      0,
      `does not start with the PReg signature (found ${JSON.stringify(bytes.subarray(0, 4).toString('latin1'))}); it is not a Registry.pol file`,
    );
  }
  const version = bytes.readUInt32LE(4);
  if (version !== VERSION) return fail(4, `has PReg version ${version}; only version 1 is defined`);

  let at = HEADER_BYTES;
  while (at < bytes.length) {
    const start = at;
    const char = (offset: number): number | undefined =>
      offset + 1 < bytes.length ? bytes.readUInt16LE(offset) : undefined;
    const expect = (code: number, what: string): string | undefined => {
      const found = char(at);
      if (found === code) {
        at += 2;
        return undefined;
      }
      if (found === undefined)
        return `the record starting at byte ${start} is truncated: expected ${what} at byte ${at}, but the file ends`;
      return `expected ${what} at byte ${at} in the record starting at byte ${start}, found ${describeChar(found)}`;
    };
    const readString = (what: string): string | { problem: string } => {
      const begin = at;
      while (true) {
        const found = char(at);
        if (found === undefined) {
          return {
            problem: `the record starting at byte ${start} is truncated: its ${what} (from byte ${begin}) has no terminating NUL before the file ends${(bytes.length - begin) % 2 === 1 ? ' (an odd number of UTF-16 bytes)' : ''}`,
          };
        }
        at += 2;
        if (found === 0) return bytes.toString('utf16le', begin, at - 2);
      }
    };
    const readUInt32 = (what: string): number | { problem: string } => {
      if (at + 4 > bytes.length)
        return {
          problem: `the record starting at byte ${start} is truncated: its ${what} at byte ${at} needs 4 bytes, ${plural(bytes.length - at, 'byte')} left`,
        };
      const value = bytes.readUInt32LE(at);
      at += 4;
      return value;
    };

    let problem = expect(OPEN, '"[" (the start of a record)');
    if (problem) return fail(at, problem);
    const key = readString('key');
    if (typeof key !== 'string') return fail(at, key.problem);
    if ((problem = expect(SEMICOLON, '";" after the key'))) return fail(at, problem);
    const valueName = readString('value name');
    if (typeof valueName !== 'string') return fail(at, valueName.problem);
    if ((problem = expect(SEMICOLON, '";" after the value name'))) return fail(at, problem);
    const type = readUInt32('type');
    if (typeof type !== 'number') return fail(at, type.problem);
    if ((problem = expect(SEMICOLON, '";" after the type'))) return fail(at, problem);
    const size = readUInt32('size');
    if (typeof size !== 'number') return fail(at, size.problem);
    if ((problem = expect(SEMICOLON, '";" after the size'))) return fail(at, problem);
    if (at + size > bytes.length) {
      return fail(
        at,
        `the record starting at byte ${start} (${key}!${valueName}) says its data is ${size} bytes, but only ${plural(bytes.length - at, 'byte')} ${bytes.length - at === 1 ? 'is' : 'are'} left in the file`,
      );
    }
    const dataStart = at;
    const raw = bytes.subarray(at, at + size);
    at += size;
    if ((problem = expect(CLOSE, '"]" (the end of the record; is its size field right?)'))) return fail(at, problem);
    const data = decodeData(type, raw);
    if (isDataProblem(data))
      return fail(
        dataStart,
        `the ${typeName(type)} data of ${key}!${valueName} (record at byte ${start}) ${data.problem}`,
      );
    records.push({ key, valueName, type, size, data, offset: start });
  }
  return { records, problems: [] };
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeChar(code: number): string {
  return code >= 0x20 && code < 0x7f
    ? `"${String.fromCharCode(code)}"`
    : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

const NUL = String.fromCharCode(0);

function withoutTrailingNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === NUL) end--;
  return text.slice(0, end);
}

function isDataProblem(data: RegistryData | { problem: string }): data is { problem: string } {
  return typeof data === 'object' && !Buffer.isBuffer(data) && !Array.isArray(data);
}

function decodeData(type: number, raw: Buffer): RegistryData | { problem: string } {
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
    case REG_MULTI_SZ: {
      if (raw.length % 2 === 1) return { problem: `is ${raw.length} bytes: an odd length cannot be UTF-16LE text` };
      const text = withoutTrailingNuls(raw.toString('utf16le'));
      // REG_SZ: a C string (what follows a NUL is not part of it); REG_MULTI_SZ: NUL-separated strings ending in two NULs.
      if (type !== REG_MULTI_SZ) return text.split(NUL)[0];
      return text === '' ? [] : text.split(NUL);
    }
    case REG_DWORD:
    case REG_DWORD_BIG_ENDIAN:
      if (raw.length !== 4) return { problem: `is ${raw.length} bytes; a DWORD is 4 bytes` };
      return type === REG_DWORD ? raw.readUInt32LE(0) : raw.readUInt32BE(0);
    case REG_QWORD:
      if (raw.length !== 8) return { problem: `is ${raw.length} bytes; a QWORD is 8 bytes` };
      return raw.readBigUInt64LE(0);
    default:
      return Buffer.from(raw);
  }
}

/** A record to write: data as the type wants it (text, texts, number, bigint or bytes). */
export interface RegistryRecordToWrite {
  key: string;
  valueName: string;
  type: number;
  data: RegistryData;
}

/**
 * Writes records as Group Policy does: strings NUL-terminated, REG_SZ data with its NUL, a
 * REG_MULTI_SZ ending in two NULs. The inverse of parseRegistryPol.
 */
export function writeRegistryPol(records: readonly RegistryRecordToWrite[]): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(VERSION, 4);
  const parts: Buffer[] = [header];
  const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');
  for (const record of records) {
    const data = encodeData(record);
    const type = Buffer.alloc(4);
    type.writeUInt32LE(record.type, 0);
    const size = Buffer.alloc(4);
    size.writeUInt32LE(data.length, 0);
    parts.push(
      utf16('['),
      utf16(`${record.key}\u0000`),
      utf16(';'),
      utf16(`${record.valueName}\u0000`),
      utf16(';'),
      type,
      utf16(';'),
      size,
      utf16(';'),
      data,
      utf16(']'),
    );
  }
  return Buffer.concat(parts);
}

function encodeData(record: RegistryRecordToWrite): Buffer {
  const { type, data } = record;
  if (Buffer.isBuffer(data)) return data;
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
      return Buffer.from(`${String(data)}\u0000`, 'utf16le');
    case REG_MULTI_SZ:
      return Buffer.from(`${(data as string[]).map((s) => `${s}\u0000`).join('')}\u0000`, 'utf16le');
    case REG_DWORD: {
      const out = Buffer.alloc(4);
      out.writeUInt32LE(Number(data), 0);
      return out;
    }
    case REG_QWORD: {
      const out = Buffer.alloc(8);
      out.writeBigUInt64LE(BigInt(data as number | bigint), 0);
      return out;
    }
    default:
      throw new RangeError(`cannot encode ${typeName(type)} data from ${typeof data}`);
  }
}
