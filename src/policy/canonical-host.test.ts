import { lookup } from 'node:dns/promises';
import { addressBytes, canonicalHost } from './canonical-host';

describe('canonicalHost', () => {
  it.each([
    ['FTP.Example.COM', 'name', 'ftp.example.com'],
    ['ftp.example.com.', 'name', 'ftp.example.com'],
    ['bücher.example', 'name', 'xn--bcher-kva.example'],
    ['BÜCHER.example.', 'name', 'xn--bcher-kva.example'],
    ['127.0.0.1', 'ipv4', '127.0.0.1'],
    ['127.1', 'ipv4', '127.0.0.1'],
    ['127.0.1', 'ipv4', '127.0.0.1'],
    ['2130706433', 'ipv4', '127.0.0.1'],
    ['0x7f000001', 'ipv4', '127.0.0.1'],
    ['0X7F000001', 'ipv4', '127.0.0.1'],
    ['0177.0.0.1', 'ipv4', '127.0.0.1'],
    ['0x7f.1', 'ipv4', '127.0.0.1'],
    ['127.0.0.1.', 'ipv4', '127.0.0.1'],
    ['::1', 'ipv6', '::1'],
    ['0:0:0:0:0:0:0:1', 'ipv6', '::1'],
    ['[::1]', 'ipv6', '::1'],
    ['FD00:0:0:0:0:0:0:AB', 'ipv6', 'fd00::ab'],
    ['::ffff:127.0.0.1', 'ipv4', '127.0.0.1'],
    ['::FFFF:7f00:1', 'ipv4', '127.0.0.1'],
    ['[::ffff:10.1.2.3]', 'ipv4', '10.1.2.3'],
  ])('%s is %s %s', (text, kind, host) => {
    expect(canonicalHost(text)).toEqual({ kind, host });
  });

  it.each(['', ' ', 'a..b', '.a', 'a b', 'a/b', 'user@host', '1.2.3.4.5', '08.1.1.1', ':::', 'host..'])(
    '%j is no host',
    (text) => {
      expect(canonicalHost(text)).toBeUndefined();
    },
  );

  it.each(['127.1', '2130706433', '0x7f000001', '0177.0.0.1', '0x7f.1', '127.0.1'])(
    '%s is what the system resolver dials (inet_aton)',
    async (text) => {
      const [resolved] = await lookup(text, { all: true });
      expect(canonicalHost(text)?.host).toBe(resolved.address);
    },
  );

  it('gives the bytes of addresses, none for names', () => {
    expect(addressBytes({ kind: 'ipv4', host: '10.1.2.3' })).toEqual([10, 1, 2, 3]);
    expect(addressBytes({ kind: 'ipv6', host: 'fd00::ab' })).toEqual([0xfd, 0, ...new Array(12).fill(0), 0, 0xab]);
    expect(addressBytes({ kind: 'name', host: 'x.example' })).toBeUndefined();
  });
});
