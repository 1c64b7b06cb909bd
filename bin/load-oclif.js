// Loads @oclif/core without its start-up Node version check, and makes that check here.
//
// @oclif/core's index checks `semver.satisfies(node, <its engines.node>)` when it is loaded,
// which loads semver (47 modules, ~15 ms CPU on a quiet machine, 30-40 ms wall under load;
// nothing else in oclif needs semver). Our own `engines.node` (">=20") is stricter than
// oclif's (">=18"), so comparing the major version against ours says the same thing without
// semver, and warns the same way (process.emitWarning, oclif's wording). When our range is
// not of the form ">=N", or OCLIF_DISABLE_ENGINE_WARNING is already set, oclif's own check is
// left alone. The variable is removed again once oclif is loaded: child processes never see it.
'use strict';

/**
 * @param {object} [seams] for tests: `range` (engines.node), `nodeVersion` (x.y.z), `env`,
 *   `warn` (message => void), `load` (() => the @oclif/core module)
 * @returns the @oclif/core module
 */
function loadOclif({
  range = require('../package.json').engines.node,
  nodeVersion = process.versions.node,
  env = process.env,
  warn = (message) => process.emitWarning(message),
  load = () => require('@oclif/core'),
} = {}) {
  const floor = /^>=\s*(\d+)(?:\.0){0,2}$/.exec(range);
  if (!floor || env.OCLIF_DISABLE_ENGINE_WARNING !== undefined) return load();
  if (Number(nodeVersion.split('.')[0]) < Number(floor[1]))
    warn(`Node version must be ${range} to use this CLI. Current node version: ${nodeVersion}`);
  env.OCLIF_DISABLE_ENGINE_WARNING = 'true';
  try {
    return load();
  } finally {
    delete env.OCLIF_DISABLE_ENGINE_WARNING;
  }
}

module.exports = { loadOclif };
