/**
 * Review (Group Policy): `policy import` promises a policy file "that resolves like the
 * Registry.pol: same settings, same scope, same priority" (src/commands/policy/import.ts), and
 * policy-to-xml.ts that "the text parses back (parsePolicyText) to the same settings".
 *
 * Found: a REG_SZ with white space around it (an admin's trailing blank in the editor's text
 * box: `svc-ftp `) is used as is when the machine folder reads the Registry.pol, but the XML
 * reader trims text (trimValues), so the imported file forces `svc-ftp`: the two disagree, and
 * which user name a session logs in with depends on whether the GPO was read or imported.
 */
import { policyToXml } from '../../src/policy/group-policy/policy-to-xml';
import { registryPolToPolicy } from '../../src/policy/group-policy/registry-policy';
import { REG_SZ, writeRegistryPol } from '../../src/policy/group-policy/registry-pol';
import { parsePolicyText } from '../../src/policy/parse-policy';

const KEY = 'Software\\Policies\\ftpsctl';

it.each([
  ['user', 'svc-ftp '],
  ['audit.logFile', ' C:\\ProgramData\\ftpsctl\\audit.jsonl'],
  ['tls.pki.caFile', '/etc/ssl/corp-ca.pem\t'],
])('%s = %j: the imported XML has the value the Registry.pol has', (valueName, data) => {
  const bytes = writeRegistryPol([{ key: KEY, valueName, type: REG_SZ, data }]);
  const direct = registryPolToPolicy(bytes, '/etc/ftpsctl/policies/Machine/Registry.pol', 'machine');
  // Either both readers refuse the value, or both read the same value.
  if (!direct.policy) return expect(direct.problems).not.toEqual([]);
  const imported = parsePolicyText(policyToXml(direct.policy), '/etc/ftpsctl/policies/50-group-policy.xml');
  expect(imported.problems).toEqual([]);
  expect(imported.policy?.settings.map((s) => [s.path, s.enforce, s.value])).toEqual(
    direct.policy.settings.map((s) => [s.path, s.enforce, s.value]),
  );
});
