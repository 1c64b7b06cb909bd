/**
 * Review (Group Policy): the allow/deny lists of settings that are not host names, as the
 * Group Policy editor stores them in Registry.pol (values 1, 2, 3 ... under
 * Software\Policies\ftpsctl\Allow\<path> and ...\Deny\<path>).
 *
 * The promise (README "Windows admins: Group Policy", DESIGN "Additions in wave 2"): every
 * setting a policy file can manage is a policy in the editor, and `policy import` "writes a
 * policy file that `policy validate` accepts and that resolves like the Registry.pol".
 *
 * Found: the Registry.pol reader checks EVERY allow/deny entry as a host-name glob
 * (registry-policy.ts calls globProblem(value, 'host') without the setting path), while the
 * XML reader applies the setting's own rule (glob.ts VALUE_RULES: ports, user names, absolute
 * file paths, fingerprints, public key pins). So:
 *  - tls_pki_caFile_allow with `C:\certs\ca.pem` (or `/etc/ssl/ca.pem`), tls_pki_pinnedPublicKeySha256_allow
 *    with a `sha256//...=` pin, user_allow with `alice@corp.example`: the values the XML accepts
 *    make the whole Registry.pol unusable, which refuses EVERY session on the machine;
 *  - port_allow with `abc`: accepted from Registry.pol (as a host glob), yet `policy import`
 *    writes it to a file that `policy validate` rejects.
 *  - The ADMX explain text of these lists describes host-name globs ("e.g. *.corp.example") for
 *    ports, file paths and pins alike.
 */
import { buildAdmx } from '../../src/policy/group-policy/build-admx';
import { policyToXml } from '../../src/policy/group-policy/policy-to-xml';
import { registryPolToPolicy } from '../../src/policy/group-policy/registry-policy';
import { parsePolicyText } from '../../src/policy/parse-policy';
import { policyDocument } from '../helpers/policy-folder';
import { GroupPolicyEditor } from '../helpers/group-policy-editor';

const admx = buildAdmx();
const FILE = '/etc/ftpsctl/policies/Machine/Registry.pol';
const PIN = `sha256//${'A'.repeat(43)}=`;

/** What the Group Policy editor stores for one enabled list policy, read as ftpsctl reads it. */
function readList(admxPolicy: string, values: string[]): ReturnType<typeof registryPolToPolicy> {
  const bytes = new GroupPolicyEditor(admx.admx).set(admxPolicy, { enabled: true, value: values }).registryPol();
  return registryPolToPolicy(bytes, FILE, 'machine');
}

/** The same list in a policy XML file. */
function xmlList(path: string, enforce: 'allow' | 'deny', values: string[]): ReturnType<typeof parsePolicyText> {
  const body = `<setting path="${path}" enforce="${enforce}">${values.map((v) => `<value>${v}</value>`).join('')}</setting>`;
  return parsePolicyText(policyDocument('xml', body), '/etc/ftpsctl/policies/xml.xml');
}

describe.each([
  ['tls_pki_caFile_allow', 'tls.pki.caFile', 'allow', 'C:\\certs\\corp-ca.pem'],
  ['tls_pki_caFile_deny', 'tls.pki.caFile', 'deny', '/etc/ssl/untrusted/*.pem'],
  ['proxy_caFile_allow', 'proxy.caFile', 'allow', '/etc/ssl/proxy-ca.pem'],
  ['tls_pki_pinnedPublicKeySha256_allow', 'tls.pki.pinnedPublicKeySha256', 'allow', PIN],
  ['user_allow', 'user', 'allow', 'alice@corp.example'],
  ['user_deny', 'user', 'deny', 'CORP\\svc-*'],
] as const)('%s = %s', (admxPolicy, settingPath, enforce, value) => {
  it('is valid in a policy XML file (the baseline)', () => {
    expect(xmlList(settingPath, enforce, [value]).problems).toEqual([]);
  });

  it('is read from Registry.pol too, instead of making the file unusable (which refuses every session)', () => {
    const result = readList(admxPolicy, [value]);
    expect(result.problems).toEqual([]);
    expect(result.policy?.settings).toEqual([expect.objectContaining({ path: settingPath, enforce, globs: [value] })]);
  });
});

describe.each([
  ['port_allow', 'port', 'abc'],
  ['proxy_port_deny', 'proxy.port', '70000'],
  ['tls_pki_pinnedSha256_allow', 'tls.pki.pinnedSha256', 'not-a-fingerprint.example'],
] as const)('%s = %s', (admxPolicy, settingPath, value) => {
  const enforce = admxPolicy.endsWith('_allow') ? 'allow' : 'deny';
  it('is refused in a policy XML file (the baseline)', () => {
    expect(xmlList(settingPath, enforce, [value]).problems).toHaveLength(1);
  });

  it('is refused in Registry.pol as well, not imported into a file `policy validate` then rejects', () => {
    const result = readList(admxPolicy, [value]);
    if (result.policy) {
      // What `policy import` would write must at least be a valid policy file.
      const imported = parsePolicyText(policyToXml(result.policy), 'imported.xml');
      expect(imported.problems).toEqual([]);
    }
    expect(result.problems).toEqual([
      expect.objectContaining({ file: FILE, message: expect.stringContaining(`"${value}"`) }),
    ]);
  });
});

it('the ADMX explain text of a port allow list describes ports, not host-name globs', () => {
  const explain = /<string id="port_allow_Explain">([^<]*)<\/string>/.exec(admx.adml)?.[1] ?? '';
  expect(explain).not.toBe('');
  expect(explain).not.toContain('*.corp.example');
  expect(explain).toMatch(/1000-1100|port range|range/);
});
