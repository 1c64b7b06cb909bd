#!/usr/bin/env node
// Development entry: same as run.js but oclif ignores the manifest and reports more.
require('@oclif/core').execute({ development: true, dir: __dirname });
