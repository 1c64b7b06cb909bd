import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeFolders } from './make-folders';

let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-make-folders-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const code = (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error.code,
  );

describe('makeFolders (mkdir -p without Node 20’s /proc spin)', () => {
  it('creates every missing level, and is a no-op when they exist', async () => {
    const deep = path.join(dir, 'a', 'b', 'c');
    await makeFolders(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeFolders(deep);
    await makeFolders(path.join(dir, 'a'));
  });

  it('a file in the way is ENOTDIR; the file is left alone', async () => {
    writeFileSync(path.join(dir, 'plain'), 'x');
    expect(await code(makeFolders(path.join(dir, 'plain', 'below')))).toBe('ENOTDIR');
    expect(statSync(path.join(dir, 'plain')).isFile()).toBe(true);
  });

  it('a folder that can never be made (under /proc) fails with its errno instead of spinning', async () => {
    if (process.platform !== 'linux') return;
    expect(await code(makeFolders('/proc/ftpsctl-no-such-folder/deeper'))).toMatch(/^E[A-Z]+$/);
  });

  it('two callers making the same folders at once both succeed', async () => {
    const shared = path.join(dir, 'x', 'y', 'z');
    await Promise.all([makeFolders(shared), makeFolders(shared), makeFolders(shared)]);
    expect(statSync(shared).isDirectory()).toBe(true);
  });
});
