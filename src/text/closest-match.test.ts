import { closestMatch, editDistance } from './closest-match';

describe('closestMatch', () => {
  const keys = ['enabled', 'implicit', 'minVersion', 'maxVersion', 'fipsMode', 'pki'];

  it('finds a key with one letter missing', () => {
    expect(closestMatch('fipMode', keys)).toBe('fipsMode');
  });

  it('finds a key with swapped letters or other case', () => {
    expect(closestMatch('implciit', keys)).toBe('implicit');
    expect(closestMatch('MINVERSION', keys)).toBe('minVersion');
  });

  it('gives nothing for an unrelated word', () => {
    expect(closestMatch('colour', keys)).toBeUndefined();
  });

  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
