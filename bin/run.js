#!/usr/bin/env node
// The ftpsctl binary: oclif reads oclif.manifest.json (written by `npm run build`) so that
// start-up does not load every command file.
//
// `ftpsctl --version` needs nothing of oclif: it prints oclif's user agent
// (`ftpsctl/<version> <platform>-<arch> node-<version>`) from package.json, which keeps it
// within 2x of `node -e 0` (loading @oclif/core alone costs ~100 ms). WSL, where oclif would
// say "wsl", and every other argument go through oclif.
'use strict';
const argv = process.argv.slice(2);
if (
  argv.length === 1 &&
  argv[0] === '--version' &&
  !(process.platform === 'linux' && /microsoft/i.test(require('node:os').release()))
) {
  const { name, version } = require('../package.json');
  const arch = process.arch === 'ia32' ? 'x86' : process.arch;
  process.stdout.write(`${name}/${version} ${process.platform}-${arch} node-${process.version}\n`);
} else {
  // ~150 modules load from here on: a V8 code cache saves compiling them on every start-up.
  require('./compile-cache').enableCompileCache();
  require('./load-oclif').loadOclif().execute({ dir: __dirname });
}
