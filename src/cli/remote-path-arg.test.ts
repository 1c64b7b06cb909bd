import fc from 'fast-check';
import { printableText } from '../text/printable-text';
import { fromShownName } from './remote-path-arg';

describe('fromShownName', () => {
  it('reads back a byte that is not UTF-8 as session ls shows it', () => {
    expect(fromShownName('caf\\u{dce9}.txt')).toBe('caf\udce9.txt');
    expect(fromShownName('report\\u{202e}txt.exe')).toBe('report\u202etxt.exe');
    expect(fromShownName('plain.txt')).toBe('plain.txt');
  });

  it('keeps a name holding a literal \\u{ apart from the byte it would spell', () => {
    const literal = 'caf\\u{dce9}.txt';
    const shown = printableText(literal);
    expect(shown).toBe('caf\\u{5c}u{dce9}.txt');
    expect(shown).not.toBe(printableText('caf\udce9.txt'));
    expect(fromShownName(shown)).toBe(literal);
  });

  it('gives back every name as printableText shows it (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (name) => {
        expect(fromShownName(printableText(name))).toBe(name);
      }),
    );
  });
});
