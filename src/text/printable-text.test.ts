import fc from 'fast-check';
import { printableJson, printableLines, printableOutput, printableText } from './printable-text';

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

  it('escapes bidi controls, so report\\u202etxt.exe does not show as report.exe.txt (review)', () => {
    expect(printableText('report\u202etxt.exe')).toBe('report\\u{202e}txt.exe');
    expect(printableLines('a\u2066b\u200fc\n')).toBe('a\\u{2066}b\\u{200f}c\n');
  });

  it('printableOutput keeps CRLF line ends (CSV) but escapes a lone CR', () => {
    expect(printableOutput('a,b\r\nc\rd\u009b\n')).toBe('a,b\r\nc\\u{d}d\\u{9b}\n');
    // The last line's CR: the caller (this.log) adds its LF.
    expect(printableOutput('a,b\r')).toBe('a,b\r');
  });

  it('printableJson writes what a terminal acts on as JSON escapes: the same value, parsed back', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary', maxLength: 40 }), (value, text) => {
        const json = printableJson(JSON.stringify({ value, text }, null, 2));
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ value, text })));
        expect(printableOutput(json)).toBe(json);
      }),
    );
  });
});
