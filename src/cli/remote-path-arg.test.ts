import fc from 'fast-check';
import { printableText } from '../text/printable-text';
import { fromShownName } from './remote-path-arg';

describe('fromShownName', () => {
  it('reads back a byte that is not UTF-8 as session ls shows it, and a backslash shown escaped', () => {
    expect(fromShownName('caf\\u{dce9}.txt')).toBe('caf\udce9.txt');
    expect(fromShownName('caf\\u{DCE9}.txt')).toBe('caf\udce9.txt');
    expect(fromShownName('x\\u{5c}u{41}.txt')).toBe('x\\u{41}.txt');
    expect(fromShownName('plain.txt')).toBe('plain.txt');
  });

  it('takes any other \\u{...} as written: a name holding \\u{41} (as ls --json lists it) is that name', () => {
    expect(fromShownName('x\\u{41}.txt')).toBe('x\\u{41}.txt');
    expect(fromShownName('report\\u{202e}txt.exe')).toBe('report\\u{202e}txt.exe');
    expect(fromShownName('a\\u{d}\\u{a}b')).toBe('a\\u{d}\\u{a}b');
  });

  it('keeps a name holding a literal \\u{ apart from the byte it would spell', () => {
    const literal = 'caf\\u{dce9}.txt';
    const shown = printableText(literal);
    expect(shown).toBe('caf\\u{5c}u{dce9}.txt');
    expect(shown).not.toBe(printableText('caf\udce9.txt'));
    expect(fromShownName(shown)).toBe(literal);
  });

  it('gives back every name of printable text, backslashes and bytes that are not UTF-8 as ls shows it (fuzz)', () => {
    const piece = fc.oneof(
      // eslint-disable-next-line no-control-regex -- names with control characters are typed as themselves
      fc.string({ unit: 'grapheme-ascii', maxLength: 4 }).filter((t) => !/[\u0000-\u001f\u007f]/.test(t)),
      fc.constantFrom('\\', '\\u{', '\\u{41}', '\\u{dce9}', 'u{5c}', 'é', '📄'),
      fc.integer({ min: 0xdc80, max: 0xdcff }).map((code) => String.fromCharCode(code)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const name = pieces.join('');
        expect(fromShownName(printableText(name))).toBe(name);
      }),
    );
  });
});
