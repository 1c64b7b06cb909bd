import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { errnoCode, errnoInWords } from './errno-text';

/** What a synchronous fs call threw. */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('errnoInWords', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-errno-'));
    writeFileSync(path.join(dir, 'file'), 'x');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the words users act on for a missing file and a folder', () => {
    expect(errnoInWords(thrownBy(() => readFileSync(path.join(dir, 'none'))))).toBe(
      'it or its folder does not exist (ENOENT)',
    );
    expect(errnoInWords(thrownBy(() => readFileSync(dir)))).toBe('it is a folder (EISDIR)');
  });

  it("takes other codes from the system's table, by errno number", () => {
    expect(errnoInWords(thrownBy(() => readFileSync(path.join(dir, 'file', 'below'))))).toBe(
      'not a directory (ENOTDIR)',
    );
  });

  it('says what EEXIST means for a recursive mkdir: a file stands in the path', () => {
    expect(errnoInWords(thrownBy(() => mkdirSync(path.join(dir, 'file'), { recursive: true })))).toBe(
      'a part of the path is a file, not a folder (EEXIST)',
    );
  });

  it('looks up an error that has a code but no errno (a simulated one) by its code', () => {
    expect(errnoInWords(Object.assign(new Error('simulated'), { code: 'ENOSPC' }))).toBe(
      'no space left on device (ENOSPC)',
    );
    expect(errnoInWords(Object.assign(new Error('simulated'), { code: 'EDQUOT' }))).toBe(
      'disk quota exceeded (EDQUOT)',
    );
  });

  it('falls back to the code, then the message, of anything else', () => {
    expect(errnoInWords(Object.assign(new Error('x'), { code: 'ENOTACODE' }))).toBe('ENOTACODE');
    expect(errnoInWords(new Error('plain failure'))).toBe('plain failure');
    expect(errnoInWords(undefined)).toBe('undefined');
  });
});

describe('errnoCode', () => {
  it('is the code of a thrown fs error, and undefined for anything else', () => {
    expect(errnoCode(Object.assign(new Error('x'), { code: 'EACCES' }))).toBe('EACCES');
    expect(errnoCode(new Error('x'))).toBeUndefined();
    expect(errnoCode('EACCES')).toBeUndefined();
    expect(errnoCode(undefined)).toBeUndefined();
  });
});
