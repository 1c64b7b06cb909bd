import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSecret } from './secrets';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-secrets-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readSecret', () => {
  it('reads an environment variable', async () => {
    expect(await readSecret({ env: 'PW' }, 'the password of profile p', { env: { PW: 's3cret' } })).toBe('s3cret');
  });
  it('names the variable, not a value, when it is missing', async () => {
    await expect(readSecret({ env: 'PW' }, 'the password of profile p', { env: {} })).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_PROFILE_INVALID',
      message:
        "the password of profile p comes from the environment variable PW, which is not set; set it to the secret, or change the profile's secret source",
    });
  });
  it('reads the first line of an owner-only file', async () => {
    const file = path.join(dir, 'pw');
    writeFileSync(file, 'line-one\nline-two\n', { mode: 0o600 });
    expect(await readSecret({ file }, 'the password', { env: {} })).toBe('line-one');
  });
  it('refuses a file others can read, with the chmod that fixes it', async () => {
    const file = path.join(dir, 'open');
    writeFileSync(file, 'x\n');
    chmodSync(file, 0o644);
    await expect(readSecret({ file }, 'the password', { env: {}, platform: 'linux' })).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_PROFILE_INVALID',
      message: `the password comes from ${file}, which can be read by others (mode 644); run: chmod 600 ${file}`,
    });
  });
  it('reads the first line without a UTF-8 byte order mark', async () => {
    const file = path.join(dir, 'bom');
    writeFileSync(file, '\uFEFFpass word\r\nrest', { mode: 0o600 });
    expect(await readSecret({ file }, 'the password', { env: {} })).toBe('pass word');
  });

  describe('refuses a password file that is not a small regular file (issue 12, defects 4 and 5), without reading it', () => {
    const fifo = (): string => {
      const file = path.join(dir, 'pw.fifo');
      execFileSync('mkfifo', ['-m', '600', file]);
      return file;
    };
    const folder = (): string => {
      const file = path.join(dir, 'pw.d');
      mkdirSync(file, { mode: 0o700 });
      return file;
    };
    const huge = (): string => {
      // 200 MB, sparse: the size is what matters, and it is never read.
      const file = path.join(dir, 'pw.huge');
      const fd = openSync(file, 'w', 0o600);
      closeSync(fd);
      execFileSync('truncate', ['-s', '200M', file]);
      return file;
    };
    it.each<[string, () => string, string]>([
      ['a FIFO (mkfifo -m 600)', fifo, 'is a FIFO (named pipe), not a regular file'],
      ['a character device', () => '/dev/zero', 'is a character device, not a regular file'],
      ['a directory', folder, 'is a directory, not a regular file'],
      [
        '200 MB',
        huge,
        'is 209715200 bytes; a password or passphrase file (the secret on its first line) is at most 4 KiB (4096 bytes)',
      ],
    ])('%s', async (_title, make, detail) => {
      const file = make();
      await expect(
        readSecret({ file }, 'the password of profile p', { env: {}, platform: 'linux' }),
      ).rejects.toMatchObject({
        code: 'FTPSCTL_ERR_INPUT_FILE',
        message: expect.stringContaining(`the password of profile p: ${file} ${detail}`),
      });
    });
  });

  it('asks on the terminal for "prompt", and says what to do without one', async () => {
    expect(
      await readSecret('prompt', 'the password of profile p', {
        env: {},
        prompt: async (q) => (q === 'The password of profile p: ' ? 'typed' : ''),
      }),
    ).toBe('typed');
    await expect(readSecret('prompt', 'the password of profile p', { env: {} })).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_USAGE',
      message: expect.stringContaining('there is no terminal to ask on'),
    });
  });
});
