import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, type Stats } from 'node:fs';
import { stat as statPath } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exitCodeFor } from '../errors/exit-codes';
import {
  inspectUserFile,
  readUserFile,
  readUserTextFile,
  USER_FILE_LIMITS,
  UserFileError,
  type UserFileKind,
} from './read-user-file';
import { SAMPLE_CA_PEM } from '../../test/fixtures/pem/sample-pem';

let dir: string;
let socketServer: Server;
let socketPath: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-user-file-'));
  socketPath = path.join(dir, 'agent.sock');
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => socketServer.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const at = (name: string): string => path.join(dir, name);

function file(name: string, content: string | Buffer, mode = 0o600): string {
  writeFileSync(at(name), content, { mode });
  return at(name);
}

/** A FIFO nobody writes to: a plain read of it blocks forever (issue 12, defect 4). */
function fifo(name: string): string {
  if (!existsSync(at(name))) execFileSync('mkfifo', ['-m', '600', at(name)]);
  return at(name);
}

async function refusal(target: string, kind: UserFileKind, label?: string): Promise<UserFileError> {
  const error = await readUserFile(target, kind, label ? { label } : {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserFileError);
  return error as UserFileError;
}

describe('readUserFile', () => {
  it('reads a regular file and hands back the fstat of the descriptor it read', async () => {
    const target = file('pw', 'hunter2\n', 0o600);
    const { bytes, stats } = await readUserFile(target, 'secret');
    expect(bytes.toString()).toBe('hunter2\n');
    expect(stats.isFile()).toBe(true);
    expect(stats.mode & 0o777).toBe(0o600);
    expect(await readUserTextFile(target, 'certificates')).toBe('hunter2\n');
  });

  it('reads a file of exactly the cap, and an empty file', async () => {
    expect(
      (await readUserFile(file('cap', Buffer.alloc(USER_FILE_LIMITS.secret.maxBytes, 0x61)), 'secret')).bytes.length,
    ).toBe(4096);
    expect((await readUserFile(file('empty', ''), 'secret')).bytes.length).toBe(0);
  });

  it('follows a symbolic link to a regular file (CA bundles often are links)', async () => {
    const target = file('bundle.pem', '-----BEGIN CERTIFICATE-----\n', 0o644);
    symlinkSync(target, at('bundle-link.pem'));
    expect((await readUserTextFile(at('bundle-link.pem'), 'certificates')).startsWith('-----BEGIN')).toBe(true);
  });

  it.each<[string, () => string, UserFileKind, string, string]>([
    [
      'a FIFO (password file)',
      () => fifo('pw.fifo'),
      'secret',
      'not-regular',
      'is a FIFO (named pipe), not a regular file; give the path of a password or passphrase file (the secret on its first line)',
    ],
    [
      'a FIFO (caFile)',
      () => fifo('ca.fifo'),
      'certificates',
      'not-regular',
      'is a FIFO (named pipe), not a regular file; give the path of a PEM certificate file',
    ],
    [
      'a FIFO behind a symbolic link',
      () =>
        existsSync(at('link.fifo'))
          ? at('link.fifo')
          : (symlinkSync(fifo('target.fifo'), at('link.fifo')), at('link.fifo')),
      'crl',
      'not-regular',
      'is a FIFO (named pipe), not a regular file; give the path of a PEM CRL file',
    ],
    [
      'a character device (/dev/zero never ends)',
      () => '/dev/zero',
      'secret',
      'not-regular',
      'is a character device, not a regular file; give the path of a password or passphrase file (the secret on its first line)',
    ],
    [
      'a character device (/dev/null)',
      () => '/dev/null',
      'privateKey',
      'not-regular',
      'is a character device, not a regular file; give the path of a PEM private key file',
    ],
    [
      'a directory',
      () => dir,
      'certificates',
      'not-regular',
      'is a directory, not a regular file; give the path of a PEM certificate file',
    ],
    [
      'a socket',
      () => socketPath,
      'secret',
      'not-regular',
      'is a socket, not a regular file; give the path of a password or passphrase file (the secret on its first line)',
    ],
    [
      'a missing file',
      () => at('nope.pem'),
      'certificates',
      'missing',
      'does not exist; check the path (a relative path is read from the folder of the file that names it)',
    ],
    [
      'a path through a file',
      () => path.join(file('plain', 'x'), 'child.pem'),
      'certificates',
      'missing',
      'does not exist: a part of the path is a file, not a folder; check the path',
    ],
    [
      'a dangling symbolic link',
      () =>
        existsSync(at('dangling.pem'))
          ? at('dangling.pem')
          : (symlinkSync(at('gone.pem'), at('dangling.pem')), at('dangling.pem')),
      'certificates',
      'missing',
      'is a symbolic link to a file that does not exist; fix the link or the path',
    ],
    [
      'a password file over 4 KiB',
      () => file('big-pw', Buffer.alloc(4097, 0x61)),
      'secret',
      'too-large',
      'is 4097 bytes; a password or passphrase file (the secret on its first line) is at most 4 KiB (4096 bytes): is this the right file?',
    ],
    [
      'a key file over 64 KiB',
      () => file('big.key', Buffer.alloc(64 * 1024 + 1, 0x61)),
      'privateKey',
      'too-large',
      'is 65537 bytes; a PEM private key file is at most 64 KiB (65536 bytes): is this the right file?',
    ],
    [
      'a CRL over 10 MiB',
      () => file('big.crl', Buffer.alloc(10 * 1024 * 1024 + 1, 0x61)),
      'crl',
      'too-large',
      'is 10485761 bytes; a PEM CRL file is at most 10 MiB (10485760 bytes): is this the right file?',
    ],
  ])(
    'refuses %s with FTPSCTL_ERR_INPUT_FILE (exit 3), naming the setting and the file',
    async (_title, make, kind, reason, detail) => {
      const target = make();
      const error = await refusal(target, kind, 'tls.pki.caFile');
      expect(error.code).toBe('FTPSCTL_ERR_INPUT_FILE');
      expect(exitCodeFor(error.code)).toBe(3);
      expect(error.problem).toEqual({ reason, detail });
      expect(error.message).toBe(`tls.pki.caFile: ${target} ${detail}`);
      expect(error.details()).toEqual({ file: target, setting: 'tls.pki.caFile', reason });
      expect(await inspectUserFile(target, kind)).toEqual({ reason, detail });
    },
  );

  it('checks the descriptor it opened: a FIFO swapped in after the path check is refused, and the open does not block', async () => {
    const regular = file('looks-regular.pem', 'x');
    const stat = (): Promise<Stats> => statPath(regular);
    const target = fifo('swapped.fifo');
    const error = await readUserFile(target, 'certificates', { label: 'tls.pki.caFile', stat }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'FTPSCTL_ERR_INPUT_FILE',
      message: `tls.pki.caFile: ${target} is a FIFO (named pipe), not a regular file; give the path of a PEM certificate file`,
    });
  });

  it('stops at cap + 1 bytes when the size the kernel reports is 0 (/proc files)', async () => {
    // /proc/self/smaps lists every mapping of this process: far more than 4 KiB, stat size 0.
    const proc = '/proc/self/smaps';
    if (!existsSync(proc)) return expect(process.platform).not.toBe('linux');
    const error = await refusal(proc, 'secret');
    expect(error.problem).toEqual({
      reason: 'too-large',
      detail:
        'is larger than 4096 bytes; a password or passphrase file (the secret on its first line) is at most 4 KiB (4096 bytes): is this the right file?',
    });
  });

  it('uses the kind noun as the label when none is given', async () => {
    const error = await refusal(at('absent'), 'secret');
    expect(error.message).toBe(
      `a password or passphrase file (the secret on its first line): ${at('absent')} does not exist; check the path (a relative path is read from the folder of the file that names it)`,
    );
  });

  it('reports a permission problem without reading (non-root runs; root reads any file)', async () => {
    const target = file('locked.pem', SAMPLE_CA_PEM, 0o000);
    chmodSync(target, 0o000);
    if (process.getuid?.() === 0) {
      expect(await inspectUserFile(target, 'certificates')).toBeUndefined();
      return;
    }
    expect(await inspectUserFile(target, 'certificates')).toEqual({
      reason: 'permission',
      detail: 'cannot be read: permission denied; make it readable by the user running ftpsctl',
    });
  });

  it('inspectUserFile says nothing about a usable file, and what a file of the wrong kind holds', async () => {
    mkdirSync(at('sub'), { recursive: true });
    expect(await inspectUserFile(file('sub/ok.pem', SAMPLE_CA_PEM), 'certificates')).toBeUndefined();
    expect(await inspectUserFile(file('sub/text.pem', 'x'), 'certificates')).toEqual({
      reason: 'wrong-content',
      detail: 'holds no PEM block (-----BEGIN ...-----); it must hold PEM certificates (-----BEGIN CERTIFICATE-----)',
    });
  });
});
