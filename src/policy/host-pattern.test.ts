import { canonicalHost } from './canonical-host';
import {
  hostMatchesAny,
  parseHostPattern,
  patternCoversAddress,
  patternMatchesHost,
  type HostPattern,
} from './host-pattern';

const pattern = (text: string): HostPattern => {
  const parsed = parseHostPattern(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};
const host = (text: string) =>
  canonicalHost(text) ??
  (() => {
    throw new Error(text);
  })();

describe('host patterns', () => {
  it('classifies addresses (any notation), CIDR blocks and globs', () => {
    expect(pattern('0x7f000001')).toMatchObject({ kind: 'address', family: 4, bytes: [127, 0, 0, 1] });
    expect(pattern('10.0.0.0/8')).toMatchObject({ kind: 'cidr', family: 4, bits: 8 });
    expect(pattern('::1/128')).toMatchObject({ kind: 'cidr', family: 6, bits: 128 });
    expect(pattern('*.Corp.Example.')).toMatchObject({ kind: 'glob', glob: '*.corp.example' });
    expect(pattern('FTP.Corp.Example.')).toMatchObject({ kind: 'glob', glob: 'ftp.corp.example' });
  });

  it.each([
    ['10.0.0.1/8', 'has bits set after the prefix length /8; write the network address (e.g. 10.0.0.0/8)'],
    ['10.0.0.0/40', 'has a prefix length that is not 0 to 32'],
    ['fd00::1/8', 'has bits set after the prefix length /8; write the network address (e.g. fd00::/8)'],
    ['x/8', 'is not a CIDR block: write an IPv4 or IPv6 address, "/" and a prefix length (10.0.0.0/8, fd00::/8)'],
  ])('rejects %s', (text, problem) => {
    expect(parseHostPattern(text)).toBe(problem);
  });

  it.each([
    ['127.0.0.1', '127.1', true],
    ['127.0.0.1', '::ffff:127.0.0.1', true],
    ['127.0.0.0/8', '127.255.0.1', true],
    ['127.0.0.0/8', '128.0.0.1', false],
    ['10.0.0.0/8', '2130706433', false],
    ['::1/128', '::1', true],
    ['::1/128', '127.0.0.1', false],
    ['fd00::/8', 'fd12:3456::1', true],
    ['0.0.0.0/0', '203.0.113.9', true],
    ['*.evil.example', 'FTP.EVIL.EXAMPLE.', true],
    ['*.evil.example', 'evil.example', false],
    ['127.0.0.1', 'localhost', false],
  ])('%s matches host %s: %s', (rule, text, expected) => {
    expect(patternMatchesHost(pattern(rule), host(text))).toBe(expected);
    expect(hostMatchesAny([rule], text)).toBe(expected);
  });

  it('globs never cover a dialed address; addresses and blocks do', () => {
    expect(patternCoversAddress(pattern('127.*'), host('127.0.0.1'))).toBe(false);
    expect(patternCoversAddress(pattern('127.0.0.0/8'), host('127.0.0.1'))).toBe(true);
  });
});
