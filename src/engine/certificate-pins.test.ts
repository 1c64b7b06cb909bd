import { canonicalFingerprint, pinMatches } from './certificate-pins';

const FP = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

describe('certificate pins', () => {
  it('canonicalises lower case, no separators and spaces to upper-case colon pairs', () => {
    expect(canonicalFingerprint(FP.toLowerCase())).toBe(FP);
    expect(canonicalFingerprint(FP.replace(/:/g, ''))).toBe(FP);
    expect(canonicalFingerprint(FP.replace(/:/g, ' '))).toBe(FP);
  });
  it('matches any of the pins and nothing else', () => {
    expect(pinMatches(['00:11', FP.toLowerCase()], FP)).toBe(true);
    expect(pinMatches([FP.slice(0, -2) + '88'], FP)).toBe(false);
    expect(pinMatches([], FP)).toBe(false);
  });
});
