import { globCovers, globMatches, globProblem, globsIntersect } from './glob';

describe('globs', () => {
  it('match with * and ?, case-insensitively, and nothing else as a wildcard', () => {
    expect(globMatches('*.corp.example', 'ftp.CORP.example')).toBe(true);
    expect(globMatches('*.corp.example', 'corp.example')).toBe(false);
    expect(globMatches('ftp?.example', 'ftp1.example')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
  });

  it.each([
    ['*.corp.example', 'ftp.*', true],
    ['*.corp.example', '*.bank.example', false],
    ['ftp.corp.example', 'ftp.corp.example', true],
    ['ftp.corp.example', 'ftp.bank.example', false],
    ['a*', '*b', true],
    ['a?c', 'ab*', true],
    ['*', 'x', true],
    ['x*y', 'x?z', false],
  ])('%s and %s intersect: %s', (a, b, expected) => {
    expect(globsIntersect(a, b)).toBe(expected);
    expect(globsIntersect(b, a)).toBe(expected);
  });

  it.each([
    ['*', '*.corp.example', true],
    ['*.example', '*.corp.example', true],
    ['*.corp.example', 'ftp.corp.example', true],
    ['*.corp.example', '*.example', false],
    ['ftp?.example', 'ftp*.example', false],
    ['ftp*.example', 'ftp?.example', true],
    ['ftp.*', '*', false],
  ])('%s covers %s: %s', (outer, inner, expected) => {
    expect(globCovers(outer, inner)).toBe(expected);
  });

  it.each([
    ['', 'host', 'is empty; use "*" to match every name'],
    ['ftp corp', 'host', 'contains white space'],
    [
      '[ab].example',
      'host',
      'uses a character that is not a glob here: only "*" (any text) and "?" (one character) are wildcards',
    ],
    ['**.example', 'host', 'contains "**"; a single "*" already matches any text'],
    [
      'ftp_1.example',
      'host',
      'is not a host-name glob (letters, digits, ".", "-", ":", "*" and "?"), an IP address or a CIDR block',
    ],
    ['10.0.0.1/8', 'host', 'has bits set after the prefix length /8; write the network address (e.g. 10.0.0.0/8)'],
    ['10.0.0.0/33', 'host', 'has a prefix length that is not 0 to 32'],
  ] as const)('rejects %j as a %s glob', (glob, kind, message) => {
    expect(globProblem(glob, kind)).toBe(message);
  });

  it('accepts host, address and profile globs', () => {
    expect(globProblem('*.corp.example', 'host')).toBeUndefined();
    expect(globProblem('10.0.0.*', 'host')).toBeUndefined();
    expect(globProblem('payroll_*', 'profile')).toBeUndefined();
  });
});

describe('globMatches is linear, not backtracking', () => {
  it.each([
    ['*.corp.example', 'corp.example', false],
    ['*.corp.example', 'a.b.corp.example', true],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['*a*a*b', 'aab', true],
    ['*a?c*', 'xxabcxx', true],
    ['a*', 'a', true],
    ['*', '', true],
    ['?', '', false],
    ['ab*ba', 'aba', false],
    ['ab*ba', 'abba', true],
  ])('%s matches %s: %s', (glob, name, expected) => {
    expect(globMatches(glob, name)).toBe(expected);
  });

  it('answers a glob with many stars against a long host (a regular expression backtracks for minutes here)', () => {
    expect(globMatches('*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(4000))).toBe(false);
    expect(globMatches('*a*a*a*a*a*a*a*a*a*a*a*b', `${'a'.repeat(4000)}b`)).toBe(true);
  });
});
