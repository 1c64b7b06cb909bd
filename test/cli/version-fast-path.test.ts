/**
 * `ftpsctl --version` answers without loading oclif (start-up within 2× `node -e 0`), so it
 * must print exactly what oclif would: its user agent for this package, platform and Node.
 * Anything else (-v, --version with more arguments, other commands) still goes through oclif.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, runCli } from '../helpers/run-cli';

/** What oclif itself prints for --version (the slow path), run in a process of its own. */
async function oclifVersion(): Promise<string> {
  const script = `require('@oclif/core').execute({ dir: ${JSON.stringify(path.join(repoRoot, 'bin', 'run.js'))}, args: ['--version'] })`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: repoRoot });
  return stdout;
}

describe('ftpsctl --version', () => {
  it("prints oclif's user agent, byte for byte", async () => {
    const expected = await oclifVersion();
    expect(expected).toMatch(/^ftpsctl\/\S+ \S+-\S+ node-v\d/);
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it.each([
    [['--version', 'extra'], /ftpsctl\/\d/],
    [['version'], /"version" is not an ftpsctl command/],
  ])('leaves %j to oclif', async (args, expected) => {
    const run = await runCli(args);
    expect(`${run.stdout}${run.stderr}`).toMatch(expected);
  });
});
