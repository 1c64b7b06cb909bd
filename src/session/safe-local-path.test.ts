import path from 'node:path';
import { localPathFor, unsafeNameReason } from './safe-local-path';

describe('local paths from server names', () => {
  it.each([
    ['..', '".." is not a file name'],
    ['.', '"." is not a file name'],
    ['', '"" is not a file name'],
    ['a/../../etc', 'it contains "/"'],
    ['/etc/passwd', 'it contains "/"'],
    ['..\\..\\win.ini', 'it contains a backslash'],
    ['C:evil', 'it starts with a drive letter'],
    ['nul\0byte', 'it contains a NUL byte'],
    ['bell\x07', 'it contains a control character'],
  ])('refuses %j: %s', (name, reason) => {
    expect(unsafeNameReason(name)).toBe(reason);
  });

  it('accepts ordinary names, dots and spaces included', () => {
    for (const name of ['report.csv', '.hidden', 'a b', '..dots', 'Übersicht.pdf']) expect(unsafeNameReason(name)).toBeUndefined();
  });

  it('joins safe segments under the root and refuses the rest with the name', () => {
    expect(localPathFor('/tmp/mirror', ['a', 'b.txt'])).toEqual({ path: path.join('/tmp/mirror', 'a', 'b.txt') });
    expect(localPathFor('/tmp/mirror', ['a', '..'])).toEqual({ problem: 'refused server name "..": ".." is not a file name' });
  });
});
