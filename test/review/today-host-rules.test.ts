/**
 * Review of today's host-rule changes (host-pattern.ts, glob.ts): IPv6 rules starting with ':'
 * are valid now (`::1`, `::ffff:10.0.0.1`), but an IPv4-mapped block, the standard way to write
 * "IPv4 through an IPv6 socket" (RFC 4291 §2.5.5.2), is still rejected: canonicalHost turns
 * `::ffff:10.0.0.0` into 10.0.0.0, and the prefix length (/104, /96) is then checked against 32,
 * so the message says "has a prefix length that is not 0 to 32" for an IPv6 block, and the
 * admin's policy is unusable (every session it could apply to refused).
 */
import { canonicalHost } from '../../src/policy/canonical-host';
import { parseHostPattern, patternCoversAddress } from '../../src/policy/host-pattern';
import { parsePolicyText } from '../../src/index';

describe('IPv4-mapped IPv6 blocks', () => {
  it.each([
    ['::ffff:10.0.0.0/104', '10.1.2.3'],
    ['::ffff:0:0/96', '192.0.2.7'],
  ])('%s is a valid block that covers %s', (block, address) => {
    const pattern = parseHostPattern(block);
    // Found: "has a prefix length that is not 0 to 32".
    expect(typeof pattern).not.toBe('string');
    if (typeof pattern === 'string') return;
    const target = canonicalHost(address);
    expect(target).toBeDefined();
    expect(patternCoversAddress(pattern, target!)).toBe(true);
  });

  it('a policy denying ::ffff:10.0.0.0/104 is usable', () => {
    const parsed = parsePolicyText(
      '<policy xmlns="urn:ftpsctl:policy:1" name="no-mapped" scope="machine" priority="100">' +
        '<setting path="host" enforce="deny"><value>::ffff:10.0.0.0/104</value></setting></policy>',
      'no-mapped.xml',
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.policy).toBeDefined();
  });
});
