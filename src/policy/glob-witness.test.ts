import { globMatches } from './glob';
import { commonName } from './glob-witness';

const witness = (lists: string[][], excluded: string[][] = []): string | undefined => {
  const result = commonName(lists, 4096, excluded);
  if (!result.found) {
    expect(result.unknown).toBe(false);
    return undefined;
  }
  for (const list of lists) if (list.length > 0) expect(list.some((g) => globMatches(g, result.name))).toBe(true);
  for (const list of excluded) expect(list.some((g) => globMatches(g, result.name))).toBe(false);
  return result.name;
};

describe('commonName', () => {
  it('finds a name in two overlapping globs and none in disjoint ones', () => {
    expect(witness([['*.corp.example'], ['ftp.*']])).toBe('ftp.corp.example');
    expect(witness([['*.corp.example'], ['*.bank.example']])).toBeUndefined();
  });

  it('three lists where every two share a name but all three do not (a*|b*, b*|c*, a*|c*)', () => {
    expect(
      witness([
        ['a*', 'b*'],
        ['b*', 'c*'],
      ]),
    ).toBeDefined();
    expect(
      witness([
        ['b*', 'c*'],
        ['a*', 'c*'],
      ]),
    ).toBeDefined();
    expect(
      witness([
        ['a*', 'b*'],
        ['a*', 'c*'],
      ]),
    ).toBeDefined();
    expect(
      witness([
        ['a*', 'b*'],
        ['b*', 'c*'],
        ['a*', 'c*'],
      ]),
    ).toBeUndefined();
  });

  it('needs a name longer than any pair needs: a*, *b, *c* -> "acb" or the like', () => {
    const name = witness([['a*'], ['*b'], ['*c*']]);
    expect(name).toMatch(/^a.*c.*b$/);
  });

  it('"?" is one character, case does not matter, an empty list is every name', () => {
    expect(witness([['ab?'], ['A?C']])).toBe('abc');
    expect(witness([['??'], ['???']])).toBeUndefined();
    expect(witness([[], ['x.example']])).toBe('x.example');
    expect(witness([[], []])).toBeDefined();
  });

  it('excluded lists (deny) take names out; an empty excluded list excludes every name', () => {
    expect(witness([['*.example']], [['a.example', 'b.example']])).toBeDefined();
    expect(witness([['a.example']], [['*.example']])).toBeUndefined();
    expect(witness([['*']], [['*']])).toBeUndefined();
    expect(witness([['x']], [[]])).toBeUndefined();
  });

  it('gives up with "unknown" past its state budget, never a guess', () => {
    const lists = Array.from({ length: 12 }, (_, i) => [
      `*${String.fromCharCode(97 + i)}*${String.fromCharCode(98 + i)}*`,
    ]);
    expect(commonName(lists, 10)).toEqual({ found: false, unknown: true });
  });
});
