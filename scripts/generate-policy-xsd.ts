/**
 * schemas/policy.xsd from the policy catalog (src/policy/group-policy/build-policy-xsd.ts).
 * `node dist/scripts/generate-policy-xsd.js --write` (npm run gen:xsd) rewrites it; `--check`
 * exits 1 when the checked-in file is stale. The unit test build-policy-xsd.test.ts checks the same.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildPolicyXsd } from '../src/policy/group-policy/build-policy-xsd';

const repoRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
export const POLICY_XSD_FILE = path.join(repoRoot, 'schemas', 'policy.xsd');

function main(argv: string[]): number {
  const text = buildPolicyXsd();
  if (argv.includes('--write')) {
    writeFileSync(POLICY_XSD_FILE, text);
    process.stdout.write(`wrote ${POLICY_XSD_FILE}\n`);
    return 0;
  }
  let current = '';
  try {
    current = readFileSync(POLICY_XSD_FILE, 'utf8');
  } catch {
    current = '';
  }
  if (current === text) return 0;
  process.stderr.write(`${POLICY_XSD_FILE} is stale: run npm run gen:xsd\n`);
  return 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
