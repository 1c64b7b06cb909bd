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
    ['[ab].example', 'host', 'uses a character that is not a glob here: only "*" (any text) and "?" (one character) are wildcards'],
    ['**.example', 'host', 'contains "**"; a single "*" already matches any text'],
    ['ftp_1.example', 'host', 'is not a host-name glob (letters, digits, ".", "-", ":", "*" and "?")'],
  ] as const)('rejects %j as a %s glob', (glob, kind, message) => {
    expect(globProblem(glob, kind)).toBe(message);
  });

  it('accepts host, address and profile globs', () => {
    expect(globProblem('*.corp.example', 'host')).toBeUndefined();
    expect(globProblem('10.0.0.*', 'host')).toBeUndefined();
    expect(globProblem('payroll_*', 'profile')).toBeUndefined();
  });
});
