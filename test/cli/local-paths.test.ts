/**
 * What the built binary does with what is already on this machine: `session get` replaces only
 * a regular file (a symlink, FIFO, device node, socket or folder at LOCAL or at its part file
 * is exit 6, FTPSCTL_ERR_LOCAL_FILE, before any connection, and left untouched), and `session
 * mirror` never follows a link inside its target tree and names a missing or wrong local
 * folder (exit 6), never "unexpected error" (exit 1).
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';
import { startHostileServer } from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { repoRoot, runCli, type CliRun } from '../helpers/run-cli';

jest.setTimeout(60_000);

const PASSWORD = 'cli-local-paths-secret-5c1d';
const env = { FTPSCTL_TEST_PW: PASSWORD };
let pki: TestPki;
let dir: string;
let server: EmbeddedServer;
let root: string;
let profile: string;

function writeProfile(name: string, port: number): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      host: '127.0.0.1',
      port,
      user: 'alice',
      password: { env: 'FTPSCTL_TEST_PW' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
      transfer: { parallel: 1 },
    }),
  );
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-cli-local-'));
  pki = await createTestPki(path.join(dir, 'pki'));
  root = mkdtempSync(path.join(dir, 'root-'));
  mkdirSync(path.join(root, 'tree', 'sub'), { recursive: true });
  writeFileSync(path.join(root, 'remote.txt'), 'from the server');
  writeFileSync(path.join(root, 'tree', 'f.txt'), 'tree file');
  writeFileSync(path.join(root, 'tree', 'sub', 'y'), 'tree sub y');
  server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: pki.server.cert, key: pki.server.key },
  });
  profile = writeProfile('local-paths', server.port);
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const session = (args: string[], cwd = dir): Promise<CliRun> =>
  runCli(['session', ...args, '--policies', path.join(repoRoot, 'policies')], { env, cwd });
/** stderr without the note line the example policies print (they claim machine scope from a --policies folder). */
const errors = (run: CliRun): string => run.stderr.replace(/^ftpsctl: note: .*\n/gm, '');

/** A fresh folder per case, so no case sees another's leftovers. */
function caseDir(name: string): string {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  return folder;
}

describe('session get and what is at LOCAL', () => {
  it('refuses a symlink (the reported link.txt -> real.txt) before connecting, exit 6, link and target untouched', async () => {
    const here = caseDir('get-symlink');
    writeFileSync(path.join(here, 'real.txt'), 'real');
    symlinkSync('real.txt', path.join(here, 'link.txt'));
    const hostile = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
    try {
      const result = await session(['get', writeProfile('get-symlink', hostile.port), 'remote.txt', 'link.txt'], here);
      expect(result.code).toBe(6);
      expect(errors(result)).toBe(
        'ftpsctl: refused to write the download target link.txt: it is a symbolic link (to real.txt), left untouched; ftpsctl replaces only regular files: remove it or name another path\n',
      );
      expect(hostile.connections).toBe(0);
    } finally {
      await hostile.stop();
    }
    expect(readlinkSync(path.join(here, 'link.txt'))).toBe('real.txt');
    expect(readFileSync(path.join(here, 'real.txt'), 'utf8')).toBe('real');
    expect(readdirSync(here).sort()).toEqual(['link.txt', 'real.txt']);
  });

  it('refuses a device node made with mknod (the reported /dev/full), a FIFO and a socket, each left as it was', async () => {
    const here = caseDir('get-special');
    const node = path.join(here, 'full');
    let device = true;
    try {
      execFileSync('mknod', [node, 'c', '1', '7'], { stdio: 'ignore' });
    } catch {
      device = false; // not root: /dev/null stands in (no test may write it, and a non-root process can't replace it)
    }
    const target = device ? node : '/dev/null';
    const dev = await session(['get', profile, 'remote.txt', target], here);
    expect(dev.code).toBe(6);
    expect(errors(dev)).toContain(
      `refused to write the download target ${target}: it is a character device, left untouched`,
    );
    expect(lstatSync(target).isCharacterDevice()).toBe(true);

    execFileSync('mkfifo', [path.join(here, 'pipe')]);
    const fifo = await session(['get', profile, 'remote.txt', 'pipe'], here);
    expect(fifo.code).toBe(6);
    expect(errors(fifo)).toContain(
      'refused to write the download target pipe: it is a FIFO (named pipe), left untouched',
    );
    expect(lstatSync(path.join(here, 'pipe')).isFIFO()).toBe(true);

    execFileSync('python3', [
      '-c',
      'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])',
      path.join(here, 'sock'),
    ]);
    const sock = await session(['get', profile, 'remote.txt', 'sock'], here);
    expect(sock.code).toBe(6);
    expect(errors(sock)).toContain('refused to write the download target sock: it is a socket, left untouched');
    expect(lstatSync(path.join(here, 'sock')).isSocket()).toBe(true);
    expect(readdirSync(here).filter((n) => n.endsWith('.ftpsctl-part'))).toEqual([]);
  });

  it('refuses an existing folder up front (was: whole download, then "unexpected error: EISDIR ... rename", exit 1, part file left)', async () => {
    const here = caseDir('get-folder');
    mkdirSync(path.join(here, 'folder'));
    const result = await session(['get', profile, 'remote.txt', 'folder'], here);
    expect(result.code).toBe(6);
    expect(errors(result)).toBe(
      `ftpsctl: refused to write the download target folder: it is a folder, left untouched; name a file inside it (for example ${path.join('folder', 'NAME')}) instead\n`,
    );
    expect(readdirSync(here)).toEqual(['folder']);
    expect(readdirSync(path.join(here, 'folder'))).toEqual([]);
  });

  it('refuses a part file that is a symlink or a FIFO, with and without --resume, never writing through it', async () => {
    const here = caseDir('get-part');
    writeFileSync(path.join(here, 'outside.txt'), 'keep');
    symlinkSync('outside.txt', path.join(here, 'a.txt.ftpsctl-part'));
    for (const resume of [[], ['--resume']]) {
      const result = await session(['get', profile, 'remote.txt', 'a.txt', ...resume], here);
      expect(result.code).toBe(6);
      expect(errors(result)).toContain(
        'refused to write the part file a.txt.ftpsctl-part: it is a symbolic link (to outside.txt), left untouched',
      );
    }
    expect(readFileSync(path.join(here, 'outside.txt'), 'utf8')).toBe('keep');
    execFileSync('mkfifo', [path.join(here, 'b.txt.ftpsctl-part')]);
    const fifo = await session(['get', profile, 'remote.txt', 'b.txt', '--resume'], here);
    expect(fifo.code).toBe(6);
    expect(errors(fifo)).toContain(
      'refused to write the part file b.txt.ftpsctl-part: it is a FIFO (named pipe), left untouched',
    );
    expect(readdirSync(here).sort()).toEqual(['a.txt.ftpsctl-part', 'b.txt.ftpsctl-part', 'outside.txt']);
  });

  it('still replaces an existing regular file, and downloads to a new path', async () => {
    const here = caseDir('get-regular');
    writeFileSync(path.join(here, 'old.txt'), 'old');
    expect((await session(['get', profile, 'remote.txt', 'old.txt'], here)).code).toBe(0);
    expect(readFileSync(path.join(here, 'old.txt'), 'utf8')).toBe('from the server');
    expect((await session(['get', profile, 'remote.txt'], here)).code).toBe(0);
    expect(readFileSync(path.join(here, 'remote.txt'), 'utf8')).toBe('from the server');
    expect(readdirSync(here).sort()).toEqual(['old.txt', 'remote.txt']);
  });

  it('LOCAL in a folder that does not exist, or below a file, is exit 6 naming it, never exit 1', async () => {
    const here = caseDir('get-nofolder');
    writeFileSync(path.join(here, 'plain'), 'x');
    const missing = await session(['get', profile, 'remote.txt', 'missing/x.txt'], here);
    expect(missing.code).toBe(6);
    expect(errors(missing)).toContain('missing/x.txt.ftpsctl-part: it or its folder does not exist (ENOENT)');
    const below = await session(['get', profile, 'remote.txt', 'plain/x.txt'], here);
    expect(below.code).toBe(6);
    expect(errors(below)).toContain('cannot check the local path plain/x.txt: ');
    expect(errors(below)).toContain('(ENOTDIR)');
    expect(readdirSync(here)).toEqual(['plain']);
  });

  it('a remote path with no file name and no LOCAL, or a LOCAL ending in "/", is a usage error (exit 2), not exit 1', async () => {
    const here = caseDir('get-noname');
    const slash = await session(['get', profile, '/'], here);
    expect(slash.code).toBe(2);
    expect(errors(slash)).toContain('cannot name a local file after "/": give LOCAL, the path of the file to create');
    const folderish = await session(['get', profile, 'remote.txt', 'newdir/'], here);
    expect(folderish.code).toBe(2);
    expect(errors(folderish)).toContain('LOCAL "newdir/" names a folder');
    expect(readdirSync(here)).toEqual([]);
  });
});

describe('session mirror and local links and folders', () => {
  it('refuses a symlinked folder inside LOCALDIR (the reported sub -> ../outside): nothing lands outside', async () => {
    const here = caseDir('mirror-linkdir');
    mkdirSync(path.join(here, 'local'));
    mkdirSync(path.join(here, 'outside'));
    symlinkSync('../outside', path.join(here, 'local', 'sub'));
    const result = await session(['mirror', profile, 'tree', 'local'], here);
    expect(result.code).toBe(0);
    expect(errors(result)).toBe(
      `ftpsctl: refused folder "tree/sub": the local ${path.join(here, 'local', 'sub')} is a symbolic link (to ../outside), which a mirror never follows; left untouched\n`,
    );
    expect(result.stdout).toContain('downloaded 1, unchanged 0, refused 1, failed 0');
    expect(readdirSync(path.join(here, 'outside'))).toEqual([]);
    expect(readFileSync(path.join(here, 'local', 'f.txt'), 'utf8')).toBe('tree file');
  });

  it('refuses a symlinked file inside LOCALDIR, leaving link and target untouched', async () => {
    const here = caseDir('mirror-linkfile');
    mkdirSync(path.join(here, 'local'));
    writeFileSync(path.join(here, 'target.txt'), 'keep');
    symlinkSync('../target.txt', path.join(here, 'local', 'f.txt'));
    const result = await session(['mirror', profile, 'tree', 'local', '--json'], here);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).refused).toEqual([
      {
        path: 'tree/f.txt',
        reason: `refused file "tree/f.txt": the local ${path.join(here, 'local', 'f.txt')} is a symbolic link (to ../target.txt), which a mirror never follows; left untouched`,
      },
    ]);
    expect(readFileSync(path.join(here, 'target.txt'), 'utf8')).toBe('keep');
    expect(readlinkSync(path.join(here, 'local', 'f.txt'))).toBe('../target.txt');
    expect(readFileSync(path.join(here, 'local', 'sub', 'y'), 'utf8')).toBe('tree sub y');
  });

  it('--reverse with a missing local folder (the reported "nodir") is exit 6 naming it, not "unexpected error ... scandir"', async () => {
    const here = caseDir('mirror-nodir');
    const result = await session(['mirror', profile, 'up', 'nodir', '--reverse'], here);
    expect(result.code).toBe(6);
    expect(errors(result)).toBe(
      'ftpsctl: cannot read the local folder nodir: it does not exist: create it, or check the path (an upload mirror sends an existing local folder)\n',
    );
    expect(existsSync(path.join(root, 'up'))).toBe(false);
  });

  it('--reverse from a file, and a download into a file or a FIFO, are exit 6 naming LOCAL', async () => {
    const here = caseDir('mirror-notdir');
    writeFileSync(path.join(here, 'plain'), 'x');
    execFileSync('mkfifo', [path.join(here, 'pipe')]);
    const up = await session(['mirror', profile, 'up', 'plain', '--reverse'], here);
    expect(up.code).toBe(6);
    expect(errors(up)).toBe('ftpsctl: cannot mirror from plain: it is a regular file, not a folder; left untouched\n');
    const down = await session(['mirror', profile, 'tree', 'plain'], here);
    expect(down.code).toBe(6);
    expect(errors(down)).toBe(
      'ftpsctl: cannot mirror into plain: it is a regular file, not a folder; left untouched\n',
    );
    const fifo = await session(['mirror', profile, 'tree', 'pipe'], here);
    expect(fifo.code).toBe(6);
    expect(errors(fifo)).toContain('cannot mirror into pipe: it is a FIFO (named pipe), not a folder');
    expect(readFileSync(path.join(here, 'plain'), 'utf8')).toBe('x');
  });

  it('--reverse refuses local symlinks (folder and file) with the reason and uploads the rest', async () => {
    const here = caseDir('mirror-up-links');
    mkdirSync(path.join(here, 'local'));
    mkdirSync(path.join(here, 'outside'));
    writeFileSync(path.join(here, 'outside', 'secret'), 'secret');
    writeFileSync(path.join(here, 'local', 'ok.txt'), 'ok');
    symlinkSync('../outside', path.join(here, 'local', 'linkdir'));
    symlinkSync('../outside/secret', path.join(here, 'local', 'linkfile'));
    const result = await session(['mirror', profile, 'up-links', 'local', '--reverse'], here);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('uploaded 1, unchanged 0, refused 2, failed 0');
    expect(errors(result)).toContain(
      'it is a symbolic link (to ../outside); only regular files and folders are mirrored, links are never followed',
    );
    expect(errors(result)).toContain(
      'it is a symbolic link (to ../outside/secret); only regular files and folders are mirrored, links are never followed',
    );
    expect(readdirSync(path.join(root, 'up-links'))).toEqual(['ok.txt']);
  });
});
