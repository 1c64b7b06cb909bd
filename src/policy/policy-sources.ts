/**
 * Which policy folders a command uses: `--policies` when given, else $FTPSCTL_POLICY_DIR,
 * else /etc/ftpsctl/policies. Only the built-in default may be absent (no policies are
 * installed); a folder someone named that is missing fails closed like a broken file.
 */
import { existsSync } from 'node:fs';
import { defaultPolicyDir, loadPolicySet } from './load-policy-set';
import { emptyPolicySet, type PolicySet } from './policy-set';

export async function loadPoliciesFor(flag: readonly string[] | undefined, env: NodeJS.ProcessEnv = process.env): Promise<PolicySet> {
  if (flag && flag.length > 0) return loadPolicySet(flag);
  const dir = defaultPolicyDir(env);
  const named = env.FTPSCTL_POLICY_DIR !== undefined && env.FTPSCTL_POLICY_DIR !== '';
  if (!named && !existsSync(dir)) {
    const set = emptyPolicySet();
    set.warnings.push(`no policy folder at ${dir}: no policies apply (set FTPSCTL_POLICY_DIR or use --policies)`);
    return set;
  }
  return loadPolicySet([dir]);
}
