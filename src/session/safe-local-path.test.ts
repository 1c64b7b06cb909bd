import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SessionError } from '../errors';
import {
  ensureFolderWithin,
  localPathFor,
  lstatIfPresent,
  refuseUnlessReplaceable,
  unsafeNameReason,
} from './safe-local-path';

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
    for (const name of ['report.csv', '.hidden', 'a b', '..dots', 'Übersicht.pdf'])
      expect(unsafeNameReason(name)).toBeUndefined();
  });

  it('joins safe segments under the root and refuses the rest with the name', () => {
    expect(localPathFor('/tmp/mirror', ['a', 'b.txt'])).toEqual({ path: path.join('/tmp/mirror', 'a', 'b.txt') });
    expect(localPathFor('/tmp/mirror', ['a', '..'])).toEqual({
      problem: 'refused server name "..": ".." is not a file name',
    });
  });
});

describe('what is on disk (lstat: links are looked at, never followed)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-safe-local-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const failure = (promise: Promise<unknown>): Promise<SessionError> =>
    promise.then(
      () => Promise.reject(new Error('expected a refusal')),
      (e: unknown) => e as SessionError,
    );

  it('refuseUnlessReplaceable accepts nothing there and a regular file', async () => {
    await expect(refuseUnlessReplaceable(path.join(dir, 'new'), 'the download target')).resolves.toBeUndefined();
    writeFileSync(path.join(dir, 'file'), 'x');
    await expect(refuseUnlessReplaceable(path.join(dir, 'file'), 'the download target')).resolves.toBeUndefined();
  });

  it('refuseUnlessReplaceable refuses a link to a regular file: the link is what would be replaced', async () => {
    writeFileSync(path.join(dir, 'real'), 'x');
    symlinkSync('real', path.join(dir, 'link'));
    const error = await failure(refuseUnlessReplaceable(path.join(dir, 'link'), 'the download target', '; kept'));
    expect(error.code).toBe('FTPSCTL_ERR_LOCAL_FILE');
    expect(error.message).toBe(
      `refused to write the download target ${path.join(dir, 'link')}: it is a symbolic link (to real), left untouched; ftpsctl replaces only regular files: remove it or name another path; kept`,
    );
  });

  it('lstatIfPresent: absent is undefined, a path below a file is FTPSCTL_ERR_LOCAL_FILE naming it', async () => {
    expect(await lstatIfPresent(path.join(dir, 'absent'))).toBeUndefined();
    writeFileSync(path.join(dir, 'file'), 'x');
    const error = await failure(lstatIfPresent(path.join(dir, 'file', 'below')));
    expect(error.code).toBe('FTPSCTL_ERR_LOCAL_FILE');
    expect(error.message.startsWith(`cannot check the local path ${path.join(dir, 'file', 'below')}: `)).toBe(true);
    expect(error.message).toMatch(/\(ENOTDIR\)$/);
  });

  it('ensureFolderWithin creates the missing levels one at a time', async () => {
    await ensureFolderWithin(dir, path.join(dir, 'a', 'b', 'c'));
    expect(lstatSync(path.join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
    await expect(ensureFolderWithin(dir, dir)).resolves.toBeUndefined();
  });

  it('ensureFolderWithin refuses a level that is a link (to a folder, inside or outside) or a file, and creates nothing through it', async () => {
    mkdirSync(path.join(dir, 'outside'));
    mkdirSync(path.join(dir, 'root', 'a'), { recursive: true });
    symlinkSync('../../outside', path.join(dir, 'root', 'a', 'b'));
    const link = await failure(ensureFolderWithin(path.join(dir, 'root'), path.join(dir, 'root', 'a', 'b', 'c')));
    expect(link.message).toBe(
      `refused to write into ${path.join(dir, 'root', 'a', 'b')}: it is a symbolic link (to ../../outside), not a folder, and a mirror never follows links or replaces what is in the way; left untouched`,
    );
    expect(readdirSync(path.join(dir, 'outside'))).toEqual([]);
    symlinkSync('a', path.join(dir, 'root', 'inner'));
    expect(
      (await failure(ensureFolderWithin(path.join(dir, 'root'), path.join(dir, 'root', 'inner', 'x')))).message,
    ).toContain('it is a symbolic link (to a)');
    writeFileSync(path.join(dir, 'root', 'file'), 'x');
    expect(
      (await failure(ensureFolderWithin(path.join(dir, 'root'), path.join(dir, 'root', 'file', 'x')))).message,
    ).toContain('it is a regular file, not a folder');
    expect(existsSync(path.join(dir, 'root', 'inner', 'x'))).toBe(false);
  });

  it('ensureFolderWithin refuses a folder outside its root', async () => {
    const error = await failure(ensureFolderWithin(path.join(dir, 'root'), path.join(dir, 'elsewhere')));
    expect(error.message).toBe(
      `refused to write into ${path.join(dir, 'elsewhere')}: it is outside ${path.join(dir, 'root')}`,
    );
    expect(existsSync(path.join(dir, 'elsewhere'))).toBe(false);
  });
});
