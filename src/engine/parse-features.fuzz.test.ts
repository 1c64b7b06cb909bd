/**
 * Property tests of the FEAT reply parser (RFC 2389; issue 12's standing suite): any reply
 * gives a map of upper-case feature names (never a throw), one entry at most per line, and
 * every feature the server lists is found under its name.
 * FTPSCTL_FUZZ_RUNS sets the cases per property (`npm run fuzz`: 100,000).
 */
import fc from 'fast-check';
import { FUZZ_RUNS, fuzzParameters, fuzzTimeout, hostileText } from '../../test/hardening/fuzz';
import { hashAlgorithms, parseFeatures } from './parse-features';
import type { FtpReply } from './parse-reply';

const featureName = fc.stringMatching(/^[A-Za-z][A-Za-z0-9.]{0,8}$/);
const parameter = hostileText({
  maxLength: 6,
  alphabet: [' ', ';', '*', 'SHA-256', 'MD5', 'size', '\t', 'é', 'x'],
}).map((t) => t.replace(/[\r\n]/g, ''));

describe(`FEAT replies under fuzzing (${FUZZ_RUNS} cases per property)`, () => {
  it(
    'parseFeatures and hashAlgorithms never throw; names are upper-case without spaces; no more entries than lines',
    () => {
      const lines = fc.array(
        hostileText({ maxLength: 8 }).map((t) => t.replace(/\n/g, '')),
        { maxLength: 12 },
      );
      fc.assert(
        fc.property(fc.constantFrom(211, 211, 500, 502), lines, (code, inner) => {
          const reply: FtpReply = {
            code,
            lines: [`${code}-Features:`, ...inner, `${code} End`],
            message: inner.join('\n'),
          };
          const features = parseFeatures(reply);
          expect(features.size).toBeLessThanOrEqual(inner.length);
          for (const name of features.keys()) {
            expect(name).toBe(name.toUpperCase());
            expect(name).not.toMatch(/^$|\s/);
          }
          for (const algorithm of hashAlgorithms(features)) expect(algorithm).toBe(algorithm.toUpperCase());
        }),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );

  it(
    'every listed feature is found under its upper-case name with its parameters',
    () => {
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.tuple(featureName, parameter), { maxLength: 10, selector: ([n]) => n.toUpperCase() }),
          (listed) => {
            const reply: FtpReply = {
              code: 211,
              lines: [
                '211-Extensions supported:',
                ...listed.map(([n, p]) => ` ${n}${p.trim() ? ` ${p}` : ''}`),
                '211 End',
              ],
              message: '',
            };
            const features = parseFeatures(reply);
            for (const [name, params] of listed) expect(features.get(name.toUpperCase())).toBe(params.trim());
          },
        ),
        fuzzParameters(),
      );
    },
    fuzzTimeout(1),
  );
});
