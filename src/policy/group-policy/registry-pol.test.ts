import {
  parseRegistryPol,
  REG_BINARY,
  REG_DWORD,
  REG_MULTI_SZ,
  REG_QWORD,
  REG_SZ,
  writeRegistryPol,
  type RegistryRecordToWrite,
} from './registry-pol';

const records: RegistryRecordToWrite[] = [
  { key: 'Software\\Policies\\ftpsctl', valueName: 'tls.fipsMode', type: REG_DWORD, data: 1 },
  { key: 'Software\\Policies\\ftpsctl', valueName: 'tls.minVersion', type: REG_SZ, data: 'TLSv1.3' },
  { key: 'Software\\Policies\\ftpsctl\\Allow\\host', valueName: '**delvals.', type: REG_SZ, data: ' ' },
  { key: 'Software\\Policies\\ftpsctl\\Allow\\host', valueName: '1', type: REG_SZ, data: '*.corp.example' },
  { key: 'Software\\Policies\\Other', valueName: 'list', type: REG_MULTI_SZ, data: ['a', 'b'] },
  { key: 'Software\\Policies\\Other', valueName: 'big', type: REG_QWORD, data: 5n },
  { key: 'Software\\Policies\\Other', valueName: 'raw', type: REG_BINARY, data: Buffer.from([1, 2, 3]) },
];

/** The byte offset of the n-th record's "[" in a file written by writeRegistryPol. */
function recordOffsets(bytes: Buffer): number[] {
  return parseRegistryPol(bytes).records.map((r) => r.offset);
}

describe('parseRegistryPol', () => {
  test('reads what Group Policy writes: PReg header, UTF-16LE records, every data type', () => {
    const bytes = writeRegistryPol(records);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x50, 0x52, 0x65, 0x67, 1, 0, 0, 0]));
    const parsed = parseRegistryPol(bytes);
    expect(parsed.problems).toEqual([]);
    expect(parsed.records.map((r) => [r.key, r.valueName, r.type, r.data])).toEqual([
      ['Software\\Policies\\ftpsctl', 'tls.fipsMode', REG_DWORD, 1],
      ['Software\\Policies\\ftpsctl', 'tls.minVersion', REG_SZ, 'TLSv1.3'],
      ['Software\\Policies\\ftpsctl\\Allow\\host', '**delvals.', REG_SZ, ' '],
      ['Software\\Policies\\ftpsctl\\Allow\\host', '1', REG_SZ, '*.corp.example'],
      ['Software\\Policies\\Other', 'list', REG_MULTI_SZ, ['a', 'b']],
      ['Software\\Policies\\Other', 'big', REG_QWORD, 5n],
      ['Software\\Policies\\Other', 'raw', REG_BINARY, Buffer.from([1, 2, 3])],
    ]);
    expect(parsed.records[0].offset).toBe(8);
    // A REG_SZ's size counts its terminating NUL: "TLSv1.3" + NUL = 16 bytes.
    expect(parsed.records[1].size).toBe(16);
  });

  test('an empty policy file (header only) has no records and no problem', () => {
    expect(parseRegistryPol(writeRegistryPol([]))).toEqual({ records: [], problems: [] });
  });

  test('non-ASCII key and value text round-trips', () => {
    const parsed = parseRegistryPol(
      writeRegistryPol([
        {
          key: 'Software\\Policies\\ftpsctl',
          valueName: 'audit.logFile',
          type: REG_SZ,
          data: 'C:\\Protokolle\\Prüfung ✓.jsonl',
        },
      ]),
    );
    expect(parsed.records[0].data).toBe('C:\\Protokolle\\Prüfung ✓.jsonl');
  });

  test.each([
    ['an empty file', Buffer.alloc(0), 0, /too short for the 8-byte PReg header/],
    ['a short header', Buffer.from('PReg'), 0, /too short/],
    [
      'a wrong signature (an XML file)',
      Buffer.from('<?xml version="1.0"?><policy/>'),
      0,
      /does not start with the PReg signature \(found "<\?xm"\)/,
    ],
    ['version 2', Buffer.concat([Buffer.from('PReg'), Buffer.from([2, 0, 0, 0])]), 4, /PReg version 2; only version 1/],
  ])('%s is malformed', (_name, bytes, offset, message) => {
    const parsed = parseRegistryPol(bytes);
    expect(parsed.problems).toEqual([{ offset, message: expect.stringMatching(message) }]);
  });

  test('every truncation of a valid file is a problem at or before the cut, never an exception', () => {
    const bytes = writeRegistryPol(records);
    const boundaries = new Set([...recordOffsets(bytes), bytes.length]);
    for (let length = 8; length < bytes.length; length++) {
      const parsed = parseRegistryPol(bytes.subarray(0, length));
      if (boundaries.has(length)) {
        // Cut exactly between records: a shorter, valid file.
        expect(parsed.problems).toEqual([]);
        continue;
      }
      expect(parsed.problems).toHaveLength(1);
      expect(parsed.problems[0].offset).toBeLessThanOrEqual(length);
      expect(parsed.problems[0].message).toMatch(/truncated|ends|left in the file|odd|expected/);
    }
  });

  test('a size that overruns the file names the record and the bytes left', () => {
    const bytes = writeRegistryPol([
      { key: 'Software\\Policies\\ftpsctl', valueName: 'tls.fipsMode', type: REG_DWORD, data: 1 },
    ]);
    // The size field sits before the data: header 8 + "[" 2 + key + ";" + name + ";" + type 4 + ";" 2.
    const sizeAt =
      8 +
      2 +
      Buffer.byteLength('Software\\Policies\\ftpsctl\u0000', 'utf16le') +
      2 +
      Buffer.byteLength('tls.fipsMode\u0000', 'utf16le') +
      2 +
      4 +
      2;
    expect(bytes.readUInt32LE(sizeAt)).toBe(4);
    bytes.writeUInt32LE(400, sizeAt);
    const parsed = parseRegistryPol(bytes);
    expect(parsed.problems).toEqual([
      {
        offset: sizeAt + 6,
        message: expect.stringMatching(
          /record starting at byte 8 \(Software\\Policies\\ftpsctl!tls\.fipsMode\) says its data is 400 bytes, but only 6 bytes are left/,
        ),
      },
    ]);
  });

  test('a size smaller than the data is caught at the missing "]"', () => {
    const bytes = writeRegistryPol([{ key: 'K', valueName: 'v', type: REG_SZ, data: 'abc' }]);
    const sizeAt = 8 + 2 + 4 + 2 + 4 + 2 + 4 + 2;
    bytes.writeUInt32LE(4, sizeAt);
    const parsed = parseRegistryPol(bytes);
    expect(parsed.problems[0].message).toMatch(
      /expected "\]" \(the end of the record; is its size field right\?\) at byte \d+ in the record starting at byte 8, found "c"/,
    );
  });

  test('odd-length UTF-16 text data is malformed, at the data offset', () => {
    const bytes = writeRegistryPol([{ key: 'K', valueName: 'v', type: REG_SZ, data: Buffer.from([0x41, 0x00, 0x42]) }]);
    const parsed = parseRegistryPol(bytes);
    expect(parsed.problems).toEqual([
      {
        offset: 8 + 2 + 4 + 2 + 4 + 2 + 4 + 2 + 4 + 2,
        message: expect.stringMatching(
          /REG_SZ data of K!v \(record at byte 8\) is 3 bytes: an odd length cannot be UTF-16LE text/,
        ),
      },
    ]);
  });

  test('a key with an odd number of bytes before the end is truncated, and says so', () => {
    const whole = writeRegistryPol([{ key: 'K', valueName: 'v', type: REG_SZ, data: 'x' }]);
    const parsed = parseRegistryPol(whole.subarray(0, 8 + 2 + 1));
    expect(parsed.problems[0].message).toMatch(
      /its key \(from byte 10\) has no terminating NUL before the file ends \(an odd number of UTF-16 bytes\)/,
    );
  });

  test.each([
    ['REG_DWORD', REG_DWORD, 3, /is 3 bytes; a DWORD is 4 bytes/],
    ['REG_QWORD', REG_QWORD, 4, /is 4 bytes; a QWORD is 8 bytes/],
  ])('a %s with the wrong data size is malformed', (_name, type, size, message) => {
    const parsed = parseRegistryPol(writeRegistryPol([{ key: 'K', valueName: 'v', type, data: Buffer.alloc(size) }]));
    expect(parsed.problems[0].message).toMatch(message);
  });

  test('garbage after the last record is malformed where it starts', () => {
    const bytes = Buffer.concat([
      writeRegistryPol([{ key: 'K', valueName: 'v', type: REG_DWORD, data: 1 }]),
      Buffer.from('xx', 'latin1'),
    ]);
    const parsed = parseRegistryPol(bytes);
    expect(parsed.records).toHaveLength(1);
    expect(parsed.problems).toEqual([
      {
        offset: bytes.length - 2,
        message: expect.stringMatching(/expected "\[" \(the start of a record\) at byte \d+ .*found U\+7878/),
      },
    ]);
  });
});
