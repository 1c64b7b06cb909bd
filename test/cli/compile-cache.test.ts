/**
 * bin/compile-cache.js: the V8 code cache of bin/run.js on Node 20. Each start-up below is a
 * Node process of its own (the hook replaces Module.prototype._compile for the whole process).
 */
import { execFile } from 'node:child_process';
import nodeModule from 'node:module';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/run-cli';

const hookFile = path.join(repoRoot, 'bin', 'compile-cache.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hook = require(hookFile) as {
  enableCompileCache(options: {
    dir?: string;
    env?: Record<string, string | undefined>;
    nodeModule?: unknown;
  }): 'builtin' | 'hook' | 'off';
  defaultCacheDir(env: Record<string, string | undefined>, platform: string, home: string): string | undefined;
  privateDirectory(dir: string): boolean;
};

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'ftpsctl-compile-cache-'));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** Starts Node with the hook on `cacheDir`, requires `moduleFile` and prints what it exports. */
async function startUp(cacheDir: string, moduleFile: string): Promise<{ mode: string; value: unknown }> {
  const script = `
    const mode = require(${JSON.stringify(hookFile)}).enableCompileCache({ dir: ${JSON.stringify(cacheDir)} });
    Promise.resolve(require(${JSON.stringify(moduleFile)})()).then((value) =>
      process.stdout.write(JSON.stringify({ mode, value })));`;
  const env = { ...process.env };
  delete env.NODE_DISABLE_COMPILE_CACHE;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env });
  return JSON.parse(stdout) as { mode: string; value: unknown };
}

const cacheFiles = (dir: string): string[] =>
  ['.json', '.bin'].map((ext) => path.join(dir, `v8-${process.versions.v8}-${process.arch}${ext}`));

describe('enableCompileCache (Node 20: the hook)', () => {
  const builtIn = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  const onNode20 = builtIn ? it.skip : it;

  onNode20('caches a module, uses the cache on the next start-up, and never serves a changed source', async () => {
    const cacheDir = path.join(scratch, 'cache');
    const moduleFile = path.join(scratch, 'answer.js');
    writeFileSync(moduleFile, "module.exports = () => 'first' + require('node:path').sep;\n");

    expect(await startUp(cacheDir, moduleFile)).toEqual({ mode: 'hook', value: 'first/' });
    const [indexFile, dataFile] = cacheFiles(cacheDir);
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, [string, number, number]>;
    expect(index[moduleFile]?.[2]).toBeGreaterThan(0);
    expect(statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(statSync(dataFile).mode & 0o777).toBe(0o600);

    // A warm start-up compiles nothing new, so it rewrites nothing.
    const written = statSync(dataFile).mtimeMs;
    expect(await startUp(cacheDir, moduleFile)).toEqual({ mode: 'hook', value: 'first/' });
    expect(statSync(dataFile).mtimeMs).toBe(written);

    // Same length, other text: V8 alone would accept the old data (it checks the length); the SHA-1 does not.
    writeFileSync(moduleFile, "module.exports = () => 'other' + require('node:path').sep;\n");
    expect(await startUp(cacheDir, moduleFile)).toEqual({ mode: 'hook', value: 'other/' });
    const after = JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, [string, number, number]>;
    expect(after[moduleFile][0]).not.toBe(index[moduleFile][0]);
  });

  onNode20('leaves a module with a dynamic import() to Node (vm.Script could not run it)', async () => {
    const cacheDir = path.join(scratch, 'cache');
    const moduleFile = path.join(scratch, 'dynamic.js');
    const helperFile = path.join(scratch, 'helper.js');
    writeFileSync(helperFile, 'module.exports = (sep) => `[${sep}]`;\n');
    writeFileSync(
      moduleFile,
      "const helper = require('./helper');\nmodule.exports = async () => helper((await import('node:path')).sep);\n",
    );
    expect(await startUp(cacheDir, moduleFile)).toEqual({ mode: 'hook', value: '[/]' });
    expect(await startUp(cacheDir, moduleFile)).toEqual({ mode: 'hook', value: '[/]' });
    const index = JSON.parse(readFileSync(cacheFiles(cacheDir)[0], 'utf8')) as Record<string, unknown>;
    expect(Object.keys(index)).toContain(helperFile);
    expect(Object.keys(index)).not.toContain(moduleFile);
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE, and hands over to Node’s own cache where there is one', () => {
    expect(hook.enableCompileCache({ dir: scratch, env: { NODE_DISABLE_COMPILE_CACHE: '1' } })).toBe('off');
    const calls: string[] = [];
    const nodeModule = {
      enableCompileCache: (dir: string) => (calls.push(dir), { status: 1 }),
      constants: { compileCacheStatus: { FAILED: 0 } },
    };
    expect(hook.enableCompileCache({ dir: scratch, env: {}, nodeModule })).toBe('builtin');
    expect(calls).toEqual([scratch]);
  });
});

describe('privateDirectory: the cache is code, so only a folder no one else can write is used', () => {
  const asRoot = process.getuid?.() === 0;

  it('creates a missing folder 0700 and accepts it', () => {
    const dir = path.join(scratch, 'a', 'b');
    expect(hook.privateDirectory(dir)).toBe(true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('refuses a folder others can write, a symbolic link and a file', () => {
    const open = path.join(scratch, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect(hook.privateDirectory(open)).toBe(false);
    const target = path.join(scratch, 'target');
    mkdirSync(target, { mode: 0o700 });
    const link = path.join(scratch, 'link');
    symlinkSync(target, link);
    expect(hook.privateDirectory(link)).toBe(false);
    const file = path.join(scratch, 'file');
    writeFileSync(file, '');
    expect(hook.privateDirectory(file)).toBe(false);
  });

  (asRoot ? it : it.skip)('refuses a folder another user owns', () => {
    const theirs = path.join(scratch, 'theirs');
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, 65534, 65534);
    expect(hook.privateDirectory(theirs)).toBe(false);
  });
});

describe('defaultCacheDir', () => {
  it.each([
    [{ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u', '/x/cache/ftpsctl/compile-cache'],
    [{}, 'linux', '/home/u', '/home/u/.cache/ftpsctl/compile-cache'],
    [{}, 'darwin', '/Users/u', '/Users/u/Library/Caches/ftpsctl/compile-cache'],
    [{}, 'linux', '', undefined],
  ])('%j on %s with home %j: %s', (env, platform, home, expected) => {
    expect(hook.defaultCacheDir(env, platform, home)).toBe(expected);
  });
});
