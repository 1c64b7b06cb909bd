// A V8 code cache for the CommonJS modules ftpsctl loads (its own and its dependencies'), so a
// start-up does not compile the same ~150 modules again every time.
//
// Node 22.1+ has this built in (module.enableCompileCache): there it is used, and nothing below
// runs. Node 20 has no such API, and the v8-compile-cache package breaks oclif there: it compiles
// through vm.Script without a dynamic-import callback, and oclif's Config.load runs
// `import('wsl-utils')` (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). Node 20's
// vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER prints an ExperimentalWarning and still failed on
// a cache hit (measured on 20.20.2). So this hook:
// - compiles each module with vm.Script and V8's cachedData, as v8-compile-cache does, and runs
//   the module wrapper with the same arguments Node gives it;
// - leaves every module whose source contains `import(` to Node's own loader (no cache for it);
// - writes the cache at exit with script.createCachedData(), i.e. after the code ran, so the
//   functions compiled lazily during the run are in it too (a cache made right after compiling
//   holds little more than the top level: no measurable gain);
// - checks each entry against the SHA-1 of the module's source (V8 itself checks only the
//   source length), and V8 rejects data made by another V8 version or with other flags.
//
// The cache is code that runs: it lives only in the user's own cache folder, created 0700, and
// is used only when that folder is a real directory owned by the user and writable by nobody
// else; otherwise start-up goes on without it. NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's
// own switch for its built-in cache).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

/** The entry module (bin/run.js): what `require.main` is in every module. */
const mainModule = require.main;

/** The user's cache folder for ftpsctl (oclif's choice of place), or undefined. */
function defaultCacheDir(env = process.env, platform = process.platform, home = require('node:os').homedir()) {
  if (platform === 'win32')
    return env.LOCALAPPDATA ? path.join(env.LOCALAPPDATA, 'ftpsctl', 'compile-cache') : undefined;
  if (platform === 'darwin') return home ? path.join(home, 'Library', 'Caches', 'ftpsctl', 'compile-cache') : undefined;
  const base = env.XDG_CACHE_HOME || (home ? path.join(home, '.cache') : undefined);
  return base ? path.join(base, 'ftpsctl', 'compile-cache') : undefined;
}

/** True when `dir` is a directory (not a link) that only the current user can write. */
function privateDirectory(dir) {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const info = fs.lstatSync(dir);
    if (!info.isDirectory()) return false;
    if (typeof process.getuid !== 'function') return true; // Windows: the profile folder's ACL
    return info.uid === process.getuid() && (info.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** About 1 MB holds every module of the CLI; more means entries of files that are gone. */
const MAX_BYTES = 16 * 1024 * 1024;

/** One file pair per V8 version and architecture: `<name>.json` (index) and `<name>.bin` (data). */
class CacheFile {
  constructor(dir) {
    const name = `v8-${process.versions.v8}-${process.arch}`;
    this.indexFile = path.join(dir, `${name}.json`);
    this.dataFile = path.join(dir, `${name}.bin`);
    this.entries = new Map(); // filename -> { sha1, data }
    this.used = new Set(); // filenames this run read or wrote
    try {
      const index = JSON.parse(fs.readFileSync(this.indexFile, 'utf8'));
      const data = fs.readFileSync(this.dataFile);
      for (const [filename, [sha1, offset, length]] of Object.entries(index))
        if (offset + length <= data.length)
          this.entries.set(filename, { sha1, data: data.subarray(offset, offset + length) });
    } catch {
      this.entries.clear(); // none yet, or unreadable: start over
    }
    this.changed = false;
  }

  get(filename, sha1) {
    const entry = this.entries.get(filename);
    if (!entry || entry.sha1 !== sha1) return undefined;
    this.used.add(filename);
    return entry.data;
  }

  set(filename, sha1, data) {
    this.entries.set(filename, { sha1, data });
    this.used.add(filename);
    this.changed = true;
  }

  /**
   * Written to temporary names, then renamed: a concurrent start-up reads the old or the new pair.
   * Entries of other commands are kept (each command loads its own modules), unless the data
   * passed MAX_BYTES (old installs, moved folders): then only this run's entries are kept.
   */
  save() {
    let total = 0;
    for (const { data } of this.entries.values()) total += data.length;
    if (total > MAX_BYTES)
      for (const filename of this.entries.keys()) if (!this.used.has(filename)) this.entries.delete(filename);
    const index = {};
    const parts = [];
    let offset = 0;
    for (const [filename, { sha1, data }] of this.entries) {
      index[filename] = [sha1, offset, data.length];
      parts.push(data);
      offset += data.length;
    }
    const suffix = `.${process.pid}.tmp`;
    fs.writeFileSync(this.dataFile + suffix, require('node:buffer').Buffer.concat(parts), { mode: 0o600 });
    fs.writeFileSync(this.indexFile + suffix, JSON.stringify(index), { mode: 0o600 });
    fs.renameSync(this.dataFile + suffix, this.dataFile);
    fs.renameSync(this.indexFile + suffix, this.indexFile);
  }
}

function stripShebang(content) {
  return content.startsWith('#!') ? content.replace(/^#![^\r\n]*/, '') : content;
}

/**
 * Installs the hook on Module.prototype._compile; the cache is saved at process exit.
 * @param {object} [options] `dir` (the cache folder; default: the user's, see defaultCacheDir),
 *   `env`, `nodeModule` (node:module, for tests)
 * @returns {'builtin' | 'hook' | 'off'} what is in use
 */
function enableCompileCache({ dir, env = process.env, nodeModule = Module } = {}) {
  if (env.NODE_DISABLE_COMPILE_CACHE) return 'off';
  const folder = dir ?? defaultCacheDir(env);
  if (!folder) return 'off';
  if (typeof nodeModule.enableCompileCache === 'function') {
    const result = nodeModule.enableCompileCache(folder);
    return result && result.status === nodeModule.constants.compileCacheStatus.FAILED ? 'off' : 'builtin';
  }
  if (!privateDirectory(folder)) return 'off';
  const vm = require('node:vm');
  const { createHash } = require('node:crypto');
  const cache = new CacheFile(folder);
  const compiled = []; // scripts compiled without usable cached data: their cache is made at exit
  const nodeCompile = Module.prototype._compile;
  const dynamicImport = /\bimport\s*\(/;

  /** What Module.prototype._compile does, through vm.Script with cached data. */
  const runCached = (mod, content, filename) => {
    const sha1 = createHash('sha1').update(content).digest('hex');
    const cachedData = cache.get(filename, sha1);
    const script = new vm.Script(Module.wrap(stripShebang(content)), { filename, cachedData });
    if (cachedData === undefined || script.cachedDataRejected) compiled.push({ filename, sha1, script });
    const require = (id) => mod.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    require.main = mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    const wrapper = script.runInThisContext({ displayErrors: true });
    return wrapper.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  };

  Module.prototype._compile = function compileWithCache(content, filename) {
    if (dynamicImport.test(content)) return nodeCompile.call(this, content, filename);
    return runCached(this, content, filename);
  };

  process.once('exit', () => {
    Module.prototype._compile = nodeCompile;
    try {
      for (const { filename, sha1, script } of compiled) cache.set(filename, sha1, script.createCachedData());
      if (cache.changed) cache.save();
    } catch {
      // A cache that cannot be written costs the next start-up its compile time, nothing else.
    }
  });
  return 'hook';
}

module.exports = { enableCompileCache, defaultCacheDir, privateDirectory };
