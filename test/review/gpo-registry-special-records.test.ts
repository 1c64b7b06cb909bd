/**
 * Review (Group Policy): Registry.pol special records aimed at a parent key.
 *
 * The promise (registry-policy.ts): "Records are applied in file order to a virtual registry
 * ... `**DeleteKeys` ... honoured", as Group Policy's client side applies them (PReg:
 * `[key;**DeleteKeys;REG_SZ;size;sub1;sub2]` deletes those subkeys of `key`, with everything
 * below them).
 *
 * Found: records whose key is outside Software\Policies\ftpsctl are skipped before they are
 * applied, so `[Software\Policies;**DeleteKeys;ftpsctl]` (delete the whole ftpsctl key, as an
 * ADM-era template or LGPO writes it) leaves every ftpsctl value in force: a value the file
 * removes is still enforced, and `policy import` carries it into the XML.
 */
import { registryPolToPolicy } from '../../src/policy/group-policy/registry-policy';
import { REG_DWORD, REG_SZ, writeRegistryPol } from '../../src/policy/group-policy/registry-pol';

const KEY = 'Software\\Policies\\ftpsctl';

it.each([
  ['Software\\Policies', 'ftpsctl'],
  ['Software', 'Policies'],
])('[%s;**DeleteKeys;%s] after an ftpsctl value removes it', (parent, subkeys) => {
  const bytes = writeRegistryPol([
    { key: KEY, valueName: 'tls.fipsMode', type: REG_DWORD, data: 1 },
    { key: `${KEY}\\Allow\\host`, valueName: '1', type: REG_SZ, data: '*.corp.example' },
    { key: parent, valueName: '**DeleteKeys', type: REG_SZ, data: subkeys },
  ]);
  const result = registryPolToPolicy(bytes, '/etc/ftpsctl/policies/Machine/Registry.pol', 'machine');
  expect(result.problems).toEqual([]);
  expect(result.policy?.settings).toEqual([]);
});
