/**
 * bin/load-oclif.js: @oclif/core without its semver-based Node check (semver is 47 modules of
 * start-up), with the same warning made from our own engines.node, and nothing left behind in
 * the environment.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../helpers/run-cli';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadOclif } = require(path.join(repoRoot, 'bin', 'load-oclif.js')) as {
  loadOclif(seams: {
    range?: string;
    nodeVersion?: string;
    env?: Record<string, string | undefined>;
    warn?: (message: string) => void;
    load?: () => unknown;
  }): unknown;
};

describe('loadOclif', () => {
  function run(range: string, nodeVersion: string, env: Record<string, string | undefined> = {}) {
    const warnings: string[] = [];
    const seenByLoad: Array<string | undefined> = [];
    const oclif = { marker: 'oclif' };
    const result = loadOclif({
      range,
      nodeVersion,
      env,
      warn: (message) => warnings.push(message),
      load: () => {
        seenByLoad.push(env.OCLIF_DISABLE_ENGINE_WARNING);
        return oclif;
      },
    });
    return { result, oclif, warnings, seenByLoad, env };
  }

  it('turns oclif’s check off while oclif loads, and removes the variable afterwards', () => {
    const r = run('>=20', '20.20.2');
    expect(r.result).toBe(r.oclif);
    expect(r.seenByLoad).toEqual(['true']);
    expect(r.warnings).toEqual([]);
    expect('OCLIF_DISABLE_ENGINE_WARNING' in r.env).toBe(false);
  });

  it('warns in oclif’s words when Node is older than engines.node', () => {
    const r = run('>=20', '18.19.0');
    expect(r.warnings).toEqual(['Node version must be >=20 to use this CLI. Current node version: 18.19.0']);
    expect(r.seenByLoad).toEqual(['true']);
  });

  it.each(['>=20.0.0', '>= 22'])('reads the floor of %s', (range) => {
    expect(run(range, '19.9.0').warnings).toHaveLength(1);
  });

  it.each(['^20.1.0', '>=20.5', '>=20 <24'])('leaves a range it does not read (%s) to oclif', (range) => {
    const r = run(range, '18.0.0');
    expect(r.warnings).toEqual([]);
    expect(r.seenByLoad).toEqual([undefined]);
  });

  it('leaves a variable the user set alone', () => {
    const r = run('>=20', '18.0.0', { OCLIF_DISABLE_ENGINE_WARNING: 'false' });
    expect(r.warnings).toEqual([]);
    expect(r.seenByLoad).toEqual(['false']);
    expect(r.env.OCLIF_DISABLE_ENGINE_WARNING).toBe('false');
  });

  it('keeps semver out of a real start-up and gives oclif the variable only while it loads', async () => {
    const script = `
      const { loadOclif } = require(${JSON.stringify(path.join(repoRoot, 'bin', 'load-oclif.js'))});
      const oclif = loadOclif();
      process.stdout.write(JSON.stringify({
        execute: typeof oclif.execute,
        semver: Object.keys(require.cache).some((f) => f.includes('/node_modules/semver/')),
        variable: process.env.OCLIF_DISABLE_ENGINE_WARNING ?? null,
      }));`;
    const env = { ...process.env };
    delete env.OCLIF_DISABLE_ENGINE_WARNING;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: repoRoot, env });
    expect(JSON.parse(stdout)).toEqual({ execute: 'function', semver: false, variable: null });
  });
});
