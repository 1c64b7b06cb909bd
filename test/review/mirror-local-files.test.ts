/**
 * Review (mirror and local files), the built binary against the embedded server:
 *
 * - `--resume` continues a part file whose remote file was replaced since (same size or longer,
 *   newer than the part file): the old bytes and the new file's tail are glued together,
 *   "verified by size", exit 0. The listing (mirror) or MDTM (get) says the remote file is newer
 *   than the part file, so the mix can be seen before REST.
 * - A file whose name is valid here (243 to 255 bytes) can't be downloaded at all: the part
 *   file `NAME.ftpsctl-part` is 13 bytes longer than NAME_MAX (255), so get and mirror fail
 *   with "cannot check the local path" (ENAMETOOLONG) for a file any other client fetches.
 * - `mirror --reverse` uploads ftpsctl's own part files (`*.ftpsctl-part` left by an
 *   interrupted download in the tree): the half file lands on the server, and the next
 *   download mirror refuses it ("names ending in .ftpsctl-part are ftpsctl's own part files").
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

const PASSWORD = 'review-mirror-local-7f3a';
const env = { REVIEW_MIRROR_PW: PASSWORD };
let pki: TestPki;
let dir: string;
let root: string;
let server: EmbeddedServer;
let profile: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-mirror-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
  root = path.join(dir, 'server-root');
  mkdirSync(root);
  server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: pki.server.cert, key: pki.server.key },
  });
  profile = path.join(dir, 'mirror.json');
  writeFileSync(
    profile,
    JSON.stringify({
      name: 'review-mirror',
      host: '127.0.0.1',
      port: server.port,
      user: 'alice',
      password: { env: 'REVIEW_MIRROR_PW' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
      transfer: { parallel: 2, verify: 'size' },
    }),
  );
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under the served root and one on the client side. */
function caseFolders(name: string): { remote: string; local: string } {
  mkdirSync(path.join(root, name));
  const local = path.join(dir, `local-${name}`);
  mkdirSync(local);
  return { remote: path.join(root, name), local };
}

const session = (args: string[]) => runBounded(['session', ...args], { cwd: dir, env, boundMs: 30_000 });
const contentOf = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

describe('--resume against a remote file that was replaced after the part file was written', () => {
  const OLD_PART = 'OLDOL'; // the first 5 bytes of the file as it was
  const NEW_FILE = 'NEWNEWNEWN'; // the file as it is now: newer than the part file, and longer

  it('mirror --resume: the local file is the remote file, or the file is reported failed (never old + new spliced)', async () => {
    const { remote, local } = caseFolders('resume-mirror');
    writeFileSync(path.join(remote, 'a.txt'), NEW_FILE);
    const part = path.join(local, 'a.txt.ftpsctl-part');
    writeFileSync(part, OLD_PART);
    utimesSync(part, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    const run = await session(['mirror', profile, 'resume-mirror', local, '--resume']);
    const content = contentOf(path.join(local, 'a.txt'));
    // Spliced: OLDOL + WNEWN, "downloaded 1 ... failed 0", exit 0.
    expect({ code: run.code, content }).toEqual(
      content === undefined ? { code: 6, content: undefined } : { code: 0, content: NEW_FILE },
    );
  });

  it('get --resume: same, for a single file', async () => {
    const { remote, local } = caseFolders('resume-get');
    writeFileSync(path.join(remote, 'a.txt'), NEW_FILE);
    const target = path.join(local, 'a.txt');
    writeFileSync(`${target}.ftpsctl-part`, OLD_PART);
    utimesSync(`${target}.ftpsctl-part`, new Date('2020-01-01T00:00:00Z'), new Date('2020-01-01T00:00:00Z'));
    const run = await session(['get', profile, 'resume-get/a.txt', target, '--resume']);
    const content = contentOf(target);
    expect({ code: run.code, content }).toEqual(
      content === undefined ? { code: 6, content: undefined } : { code: 0, content: NEW_FILE },
    );
  });
});

describe('a file name of 250 bytes (valid: NAME_MAX is 255)', () => {
  const longName = `${'n'.repeat(246)}.txt`;

  it('session get downloads it', async () => {
    const { remote, local } = caseFolders('long-get');
    writeFileSync(path.join(remote, longName), 'long name content');
    const run = await session(['get', profile, `long-get/${longName}`, path.join(local, longName)]);
    expect(run.stderr).not.toMatch(/cannot check the local path/);
    expect(run.code).toBe(0);
    expect(contentOf(path.join(local, longName))).toBe('long name content');
  });

  it('session mirror downloads it', async () => {
    const { remote, local } = caseFolders('long-mirror');
    writeFileSync(path.join(remote, longName), 'long name content');
    const run = await session(['mirror', profile, 'long-mirror', local]);
    expect(run.stdout).toContain('downloaded 1, unchanged 0, refused 0, failed 0');
    expect(run.code).toBe(0);
    expect(contentOf(path.join(local, longName))).toBe('long name content');
  });
});

describe('mirror --reverse and part files left by an interrupted download', () => {
  it('does not upload *.ftpsctl-part (the download direction refuses such names), and reports it', async () => {
    const { remote, local } = caseFolders('reverse-part');
    writeFileSync(path.join(local, 'done.txt'), 'complete file');
    writeFileSync(path.join(local, 'big.iso.ftpsctl-part'), 'first half of big.iso');
    const run = await session(['mirror', profile, 'reverse-part', local, '--reverse']);
    expect(readdirSync(remote)).toEqual(['done.txt']);
    expect(run.stderr).toContain('big.iso.ftpsctl-part');
  });
});
