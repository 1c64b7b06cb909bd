/**
 * Review (README as a contract, auditor's view): "A profile that overrides a recommended value is
 * allowed, and recorded (`rejectedRecommendation` in `resolve --json`)". The text `resolve`
 * lists such settings under "recommendations the profile overrides:", as
 * "<path>: <the profile's value> instead of <the recommended value> recommended by policy ...".
 *
 * Found: the line prints the EFFECTIVE value, not the profile's. With the shipped examples
 * (`ftpsctl resolve examples/profiles/proxy.json --policies policies`, the README's own example),
 * the profile asks for TLSv1.2, user-defaults recommends TLSv1.3 and finance's floor raises it to
 * TLSv1.3, and resolve prints "tls.minVersion: TLSv1.3 instead of TLSv1.3 recommended by policy
 * user-defaults": it tells the auditor the profile chose the recommended value while overriding it.
 * (`--json` is right: profileValue "TLSv1.2", rejectedRecommendation.value "TLSv1.3".)
 */
import { repoRoot } from '../helpers/run-cli';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

it('resolve names the profile value a recommendation lost to, never "X instead of X"', async () => {
  const run = await runBounded(['resolve', 'examples/profiles/proxy.json', '--policies', 'policies'], {
    cwd: repoRoot,
  });
  expect(run.killed).toBe(false);
  expect(run.code).toBe(0);
  const section = run.stdout.split('recommendations the profile overrides:')[1] ?? '';
  const minVersion = section.split('\n').find((line) => line.trim().startsWith('tls.minVersion:'));
  expect(minVersion).toBeDefined();
  expect(minVersion).not.toMatch(/: (\S+) instead of \1 recommended/);
  expect(minVersion).toContain('TLSv1.2 instead of TLSv1.3 recommended by policy user-defaults');
});
