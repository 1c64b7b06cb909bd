import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkProfileFile, loadProfile, MAX_PROFILE_BYTES } from './load-profile';
import { ProfileError } from './profile-error';
import { SAMPLE_CA_PEM } from '../../test/fixtures/pem/sample-pem';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ftpsctl-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A FIFO no one writes to: reading it would block forever. */
function fifo(name: string): string {
  const target = path.join(dir, name);
  execFileSync('mkfifo', ['-m', '600', target]);
  return target;
}

async function file(name: string, content: string | Buffer): Promise<string> {
  const target = path.join(dir, name);
  await writeFile(target, content);
  return target;
}

describe('loadProfile', () => {
  it('returns the profile as written and with defaults', async () => {
    const loaded = await loadProfile(
      await file('ok.json', '{"name": "a", "host": "ftp.example.com", "tls": {"implicit": true}}'),
    );
    expect(loaded.raw).toEqual({ name: 'a', host: 'ftp.example.com', tls: { implicit: true } });
    expect(loaded.profile.port).toBe(990);
    expect(loaded.profile.tls.serverName).toBe('ftp.example.com');
  });

  it('throws a ProfileError whose message lists file:line:col, pointer and fix', async () => {
    const target = await file('bad.json', '{\n  "name": "a",\n  "host": "h",\n  "tls": {"minVersion": "TLSv1.1"}\n}');
    const error = await loadProfile(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect((error as ProfileError).code).toBe('FTPSCTL_ERR_PROFILE_INVALID');
    expect((error as ProfileError).message).toBe(
      `invalid profile ${target} (1 problem):\n  ${target}:4:25 /tls/minVersion tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.1"`,
    );
  });
});

describe('checkProfileFile: the files a profile names', () => {
  it('reports a CA file that is a FIFO and a missing CRL at their line, column and pointer, relative to the profile folder', async () => {
    fifo('ca.fifo');
    const target = await file(
      'names.json',
      '{\n  "name": "a",\n  "host": "h",\n  "tls": {"pki": {\n    "caFile": "ca.fifo",\n    "crlFiles": ["missing.crl"]\n  }}\n}\n',
    );
    const result = await checkProfileFile(target);
    expect(result).toEqual({
      file: target,
      valid: false,
      unreadable: false,
      problems: [
        {
          pointer: '/tls/pki/caFile',
          line: 5,
          column: 15,
          message: `tls.pki.caFile: ca.fifo (${path.join(dir, 'ca.fifo')}) is a FIFO (named pipe), not a regular file; give the path of a PEM certificate file`,
        },
        {
          pointer: '/tls/pki/crlFiles/0',
          line: 6,
          column: 18,
          message: `tls.pki.crlFiles[0]: missing.crl (${path.join(dir, 'missing.crl')}) does not exist; check the path (a relative path is read from the folder of the file that names it)`,
        },
      ],
    });
    await expect(loadProfile(target)).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_PROFILE_INVALID',
      message: expect.stringContaining(`${target}:5:15 /tls/pki/caFile tls.pki.caFile: ca.fifo`),
    });
  });

  it('loads a profile whose named files are regular files', async () => {
    await file('ca.pem', SAMPLE_CA_PEM);
    const target = await file('names-ok.json', '{"name": "a", "host": "h", "tls": {"pki": {"caFile": "ca.pem"}}}');
    expect((await loadProfile(target)).raw.tls?.pki?.caFile).toBe('ca.pem');
  });
});

describe('checkProfileFile: files that cannot be profiles', () => {
  it.each([
    [
      'missing',
      async () => path.join(dir, 'nope.json'),
      'file not found; check the path (create one with `ftpsctl profile init`)',
    ],
    ['a directory', async () => dir, 'is a directory, not a regular file; give the path of a profile file (*.json)'],
    [
      'a FIFO',
      async () => fifo('profile.fifo'),
      'is a FIFO (named pipe), not a regular file; give the path of a profile file (*.json)',
    ],
    [
      'a character device',
      async () => '/dev/null',
      'is a character device, not a regular file; give the path of a profile file (*.json)',
    ],
    [
      'over 1 MiB',
      async () => file('big.json', `{"x": "${'a'.repeat(MAX_PROFILE_BYTES)}"}`),
      `is ${MAX_PROFILE_BYTES + 9} bytes; a profile file (*.json) is at most 1 MiB (1048576 bytes): is this the right file?`,
    ],
  ])('%s', async (_title, target, message) => {
    const result = await checkProfileFile(await target());
    expect(result).toMatchObject({
      valid: false,
      unreadable: true,
      problems: [{ pointer: '', line: null, column: null, message }],
    });
  });

  it('a file without read permission', async () => {
    if (process.getuid?.() === 0) {
      // root reads any file; the permission path is still exercised on a non-root run.
      const target = await file('secret.json', '{}');
      await chmod(target, 0o000);
      expect((await checkProfileFile(target)).valid).toBe(false);
      return;
    }
    const target = await file('secret.json', '{"name": "a", "host": "h"}');
    await chmod(target, 0o000);
    expect((await checkProfileFile(target)).problems[0].message).toBe(
      'permission denied; make the file readable by this user',
    );
  });

  it.each([
    ['UTF-16', Buffer.from('\uFEFF{"name": "a"}', 'utf16le'), 1, 1, 'the file is UTF-16; save it as UTF-8'],
    [
      'invalid UTF-8',
      Buffer.concat([Buffer.from('{\n  "name": "caf'), Buffer.from([0xe9]), Buffer.from('"\n}')]),
      2,
      15,
      'the file is not valid UTF-8 here; save it as UTF-8',
    ],
    [
      'UTF-8 with BOM',
      Buffer.from('\uFEFF{"name": "a", "host": "h"}', 'utf8'),
      1,
      1,
      'the file starts with a byte order mark (BOM); save it as UTF-8 without BOM',
    ],
  ])('%s', async (title, content, line, column, message) => {
    const result = await checkProfileFile(await file(`${title}.json`, content));
    expect(result).toMatchObject({
      valid: false,
      unreadable: false,
      problems: [{ pointer: '', line, column, message }],
    });
  });
});
