#!/usr/bin/env node
// The ftpsctl binary: oclif reads oclif.manifest.json (written by `npm run build`) so that
// start-up does not load every command file.
require('@oclif/core').execute({ dir: __dirname });
