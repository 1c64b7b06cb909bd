import fc from 'fast-check';
import { printableLines, printableText } from './printable-text';

describe('printableText / printableLines', () => {
  it('shows ESC, BEL, CR and C1 controls as escapes, so a reply cannot drive the terminal', () => {
    expect(printableText('550 gone \u001b[2J\u001b]0;owned\u0007')).toBe('550 gone \\u{1b}[2J\\u{1b}]0;owned\\u{7}');
    expect(printableText('a\rb\u009bc\nd')).toBe('a\\u{d}b\\u{9b}c\\u{a}d');
    expect(printableLines('line one\n\tline two\r\u001b[0m')).toBe('line one\n\tline two\\u{d}\\u{1b}[0m');
  });

  it('keeps surrogate pairs (emoji, CJK extension) and escapes only lone surrogates (review)', () => {
    expect(printableText('Bericht 📄.csv')).toBe('Bericht 📄.csv');
    expect(printableLines('a\ud800b')).toBe('a\\u{d800}b');
  });

  it('leaves no control character in any text (fuzz)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        // eslint-disable-next-line no-control-regex -- what must not be left
        expect(printableText(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
        // eslint-disable-next-line no-control-regex -- what must not be left but \t and \n
        expect(printableLines(text)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
    );
  });
});
