import fc from 'fast-check';
import { decodeUtf8Escaped, encodeUtf8Escaped, nameCodec } from './name-codec';

describe('name codecs (network.encoding): every name goes back byte for byte', () => {
  it('utf8 (auto): any bytes decode and encode back to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const buffer = Buffer.from(bytes);
        expect(encodeUtf8Escaped(decodeUtf8Escaped(buffer)).equals(buffer)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('utf8: valid UTF-8 decodes as text; each stray byte becomes U+DC80..U+DCFF', () => {
    expect(decodeUtf8Escaped(Buffer.from('données 报告 😀'))).toBe('données 报告 😀');
    expect(decodeUtf8Escaped(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe('caf\udce9');
    // Overlong, surrogate and cut-off sequences are not UTF-8 (RFC 3629).
    expect(decodeUtf8Escaped(Buffer.from([0xc0, 0xaf]))).toBe('\udcc0\udcaf');
    expect(decodeUtf8Escaped(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\udced\udca0\udc80');
    expect(decodeUtf8Escaped(Buffer.from([0xe2, 0x82]))).toBe('\udce2\udc82');
  });

  it('utf8: text typed by a user encodes as UTF-8, pairs above U+FFFF included', () => {
    expect(encodeUtf8Escaped('😀 é')).toEqual(Buffer.from('😀 é', 'utf8'));
  });

  it('latin1: one character per byte both ways', () => {
    const codec = nameCodec('latin1');
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(codec.encode(codec.decode(all)).equals(all)).toBe(true);
    expect(codec.decode(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe('café');
  });

  it('latin1: a character with no ISO-8859-1 byte is refused, naming it and the setting', () => {
    expect(() => nameCodec('latin1').encode('RETR €.txt')).toThrow(
      expect.objectContaining({
        code: 'FTPSCTL_ERR_USAGE',
        message: expect.stringContaining('"€" (U+20AC) cannot be sent with network.encoding latin1'),
      }),
    );
    expect(() => nameCodec('latin1').encode('caf\udce9')).toThrow(
      expect.objectContaining({ code: 'FTPSCTL_ERR_USAGE' }),
    );
  });

  it('auto and utf8 share the byte-preserving UTF-8 codec', () => {
    expect(nameCodec('auto').encoding).toBe('utf8');
    expect(nameCodec('utf8').encoding).toBe('utf8');
    expect(nameCodec(undefined).encoding).toBe('utf8');
  });
});
