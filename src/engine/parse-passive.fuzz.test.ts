/**
 * Property tests of the PASV (RFC 959) and EPSV (RFC 2428) reply parsers (issue 12's
 * standing suite): any reply gives an address or a problem value, never a throw, and an
 * address is always a dotted quad of 0-255 with a port of 1-65535.
 * FTPSCTL_FUZZ_RUNS sets the cases per property (`npm run fuzz`: 100,000).
 */
import fc from 'fast-check';
import { FUZZ_RUNS, fuzzParameters, fuzzTimeout, hostileText } from '../../test/hardening/fuzz';
import type { FtpReply } from './parse-reply';
import { parseEpsvReply, parsePasvReply } from './parse-passive';

const reply = (code: number, message: string): FtpReply => ({ code, lines: [`${code} ${message}`], message });
const noDigits = hostileText({
  maxLength: 5,
  alphabet: [' ', '(', ')', 'Entering Passive Mode', '=', '|', ',', '.', 'é'],
}).map((t) => t.replace(/[0-9]/g, ''));
const numberText = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.constantFrom('256', '999', '0000', '-1', '1e3', '', ' 1'),
);
const byte = fc.integer({ min: 0, max: 255 });

describe(`PASV and EPSV replies under fuzzing (${FUZZ_RUNS} cases per property)`, () => {
  it(
    'parsePasvReply never throws; an address is a dotted quad of 0-255 and a port of 1-65535',
    () => {
      const message = fc.oneof(
        fc
          .tuple(noDigits, fc.array(numberText, { maxLength: 8 }), noDigits)
          .map(([a, numbers, b]) => `${a}${numbers.join(',')}${b}`),
        hostileText({ maxLength: 40 }),
      );
      fc.assert(
        fc.property(fc.constantFrom(227, 227, 200, 500), message, (code, text) => {
          const result = parsePasvReply(reply(code, text));
          if ('problem' in result) {
            expect(typeof result.problem).toBe('string');
            return;
          }
          expect(code).toBe(227);
          expect(result.host).toMatch(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
          for (const part of result.host.split('.')) expect(Number(part)).toBeLessThanOrEqual(255);
          expect(Number.isInteger(result.port)).toBe(true);
          expect(result.port).toBeGreaterThanOrEqual(1);
          expect(result.port).toBeLessThanOrEqual(65535);
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'parsePasvReply reads the six numbers wherever the server puts them, with or without parentheses',
    () => {
      fc.assert(
        fc.property(
          noDigits,
          fc.tuple(byte, byte, byte, byte, byte, byte),
          fc.boolean(),
          noDigits,
          (before, [a, b, c, d, p1, p2], parens, after) => {
            const numbers = `${a},${b},${c},${d},${p1},${p2}`;
            const result = parsePasvReply(reply(227, `${before}${parens ? `(${numbers})` : numbers}${after}`));
            if (p1 * 256 + p2 === 0) expect(result).toEqual({ problem: 'PASV reply names port 0' });
            else expect(result).toEqual({ host: `${a}.${b}.${c}.${d}`, port: p1 * 256 + p2 });
          },
        ),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'parseEpsvReply never throws; a port is 1-65535; any delimiter of RFC 2428 (ASCII 33-126 but digits) is read',
    () => {
      const delimiter = fc
        .integer({ min: 33, max: 126 })
        .filter((c) => c < 0x30 || c > 0x39)
        .map((c) => String.fromCharCode(c));
      fc.assert(
        fc.property(
          fc.constantFrom(229, 229, 500),
          delimiter,
          fc.integer({ min: 0, max: 99_999 }),
          noDigits,
          hostileText({ maxLength: 20 }),
          (code, d, port, before, noise) => {
            const wellFormed = parseEpsvReply(reply(code, `${before}(${d}${d}${d}${port}${d})`));
            if (code !== 229) expect('problem' in wellFormed).toBe(true);
            else if (port >= 1 && port <= 65535) expect(wellFormed).toEqual({ port });
            else expect('problem' in wellFormed).toBe(true);
            const garbage = parseEpsvReply(reply(code, noise));
            if ('port' in garbage) {
              expect(Number.isInteger(garbage.port)).toBe(true);
              expect(garbage.port).toBeGreaterThanOrEqual(1);
              expect(garbage.port).toBeLessThanOrEqual(65535);
            }
          },
        ),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );
});
