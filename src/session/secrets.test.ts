import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
      code: 'FTPSCTL_ERR_USAGE',
      message: "the password of profile p comes from the environment variable PW, which is not set; set it, or change the profile's secret source",
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
    await expect(readSecret({ file }, 'the password', { env: {}, platform: 'linux' })).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PROFILE_INVALID', message: `the password comes from ${file}, which others can read (mode 644); run: chmod 600 ${file}` });
  });
  it('asks on the terminal for "prompt", and says what to do without one', async () => {
    expect(await readSecret('prompt', 'the password of profile p', { env: {}, prompt: async (q) => (q === 'The password of profile p: ' ? 'typed' : '') })).toBe('typed');
    await expect(readSecret('prompt', 'the password of profile p', { env: {} })).rejects.toMatchObject({ code: 'FTPSCTL_ERR_USAGE', message: expect.stringContaining('there is no terminal to ask on') });
  });
});
