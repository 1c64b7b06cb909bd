import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../errors/ftpsctl-error';
import { writeUserFile } from './write-user-file';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-write-user-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const options = { overwrite: true, what: 'the report', exampleName: 'audit.csv' };

async function refusal(promise: Promise<unknown>): Promise<UsageError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

describe('writeUserFile', () => {
  it('creates a new file with the mode asked for, and refuses an existing one without overwrite', async () => {
    const file = path.join(dir, 'p.json');
    await writeUserFile(file, 'one', { ...options, overwrite: false, mode: 0o600 });
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const error = await refusal(writeUserFile(file, 'two', { ...options, overwrite: false }));
    expect(error.code).toBe('FTPSCTL_ERR_FILE_EXISTS');
    expect(readFileSync(file, 'utf8')).toBe('one');
  });

  it('replaces an existing file whole, keeping its mode, and leaves no temporary file', async () => {
    const file = path.join(dir, 'report.csv');
    writeFileSync(file, 'old contents, longer than the new');
    chmodSync(file, 0o640);
    await writeUserFile(file, 'new', options);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['report.csv']);
  });

  it('writes through a link to a regular file: the file is replaced, the link stays a link', async () => {
    mkdirSync(path.join(dir, 'real'));
    const real = path.join(dir, 'real', 'report.csv');
    writeFileSync(real, 'old');
    const link = path.join(dir, 'link.csv');
    symlinkSync(real, link);
    await writeUserFile(link, 'new', options);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });

  it('refuses a FIFO, a device behind a link and a folder, naming what each is', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect((await refusal(writeUserFile(fifo, 'x', options))).message).toBe(
      `cannot write the report to ${fifo}: it is a FIFO (named pipe), not a regular file; give the path of a regular file (or of a file that does not exist yet)`,
    );
    const devnull = path.join(dir, 'null.csv');
    symlinkSync('/dev/null', devnull);
    expect((await refusal(writeUserFile(devnull, 'x', options))).message).toContain('it is a character device');
    expect((await refusal(writeUserFile(dir, 'x', options))).message).toContain(
      `it is a directory, not a regular file; give a file name such as ${dir}/audit.csv`,
    );
  });

  it('refuses a dangling link with what it points to, with or without overwrite', async () => {
    const link = path.join(dir, 'dangling.json');
    symlinkSync(path.join(dir, 'nowhere', 'x.json'), link);
    for (const overwrite of [false, true]) {
      const error = await refusal(writeUserFile(link, 'x', { ...options, overwrite }));
      expect(error.message).toContain('is a symbolic link to');
      expect(error.message).toContain('which does not exist');
    }
  });
});
