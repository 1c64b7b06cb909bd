import * as der from './der';
import { readDerElements } from './der-read';

const hex = (bytes: Buffer): string => bytes.toString('hex');

describe('der', () => {
  it('encodes integers minimally and keeps them positive', () => {
    expect(hex(der.integer(0))).toBe('020100');
    expect(hex(der.integer(127))).toBe('02017f');
    expect(hex(der.integer(128))).toBe('02020080');
    expect(hex(der.integer(256n))).toBe('02020100');
    expect(hex(der.integer(Buffer.from([0, 0, 0x12])))).toBe('020112');
    expect(hex(der.integer(Buffer.from([0xff])))).toBe('020200ff');
  });

  it('encodes OIDs with multi-byte arcs', () => {
    expect(hex(der.oid('2.5.29.19'))).toBe('0603551d13');
    expect(hex(der.oid('1.2.840.113549.1.1.11'))).toBe('06092a864886f70d01010b');
  });

  it('uses the long length form from 128 bytes on', () => {
    expect(hex(der.octetString(Buffer.alloc(127)).subarray(0, 2))).toBe('047f');
    expect(hex(der.octetString(Buffer.alloc(128)).subarray(0, 3))).toBe('048180');
    expect(hex(der.octetString(Buffer.alloc(300)).subarray(0, 4))).toBe('0482012c');
  });

  it('encodes named bits without trailing zero bits', () => {
    // digitalSignature(0) + keyEncipherment(2): 1010 0000, 5 unused bits
    expect(hex(der.namedBits([0, 2]))).toBe('030205a0');
    // keyCertSign(5) + cRLSign(6): 0000 0110, 1 unused bit
    expect(hex(der.namedBits([5, 6]))).toBe('03020106');
  });

  it('switches from UTCTime to GeneralizedTime in 2050', () => {
    expect(der.time(new Date('2049-12-31T23:59:59.900Z')).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(der.time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });

  it('sorts SET OF members', () => {
    expect(hex(der.set(der.integer(2), der.integer(1)))).toBe('3106020101020102');
  });

  it('reads back what it writes', () => {
    const [outer] = readDerElements(der.sequence(der.integer(5), der.octetString(Buffer.alloc(200, 1))));
    const children = readDerElements(outer!.contents);
    expect(children.map((child) => child.tag)).toEqual([0x02, 0x04]);
    expect(children[1]!.contents.length).toBe(200);
  });
});
