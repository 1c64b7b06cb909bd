/** Issue 10 in the resolver: effective-host applicability, address rules, moot mandates, logs, sources. */
import { parsePolicyText } from '../policy/parse-policy';
import type { Policy } from '../policy/policy';
import type { PolicySet } from '../policy/policy-set';
import type { SessionProfile } from '../settings/generated/session-profile';
import { dialedAddressCheck, resolveForSession } from './resolution-dial-check';
import { resolveProfile } from './resolve-profile';

function policy(name: string, body: string, attributes = 'scope="machine" priority="100"'): Policy {
  const parsed = parsePolicyText(
    `<policy xmlns="urn:ftpsctl:policy:1" name="${name}" ${attributes}>${body}</policy>`,
    `/etc/ftpsctl/policies/${name}.xml`,
  );
  if (!parsed.policy) throw new Error(JSON.stringify(parsed.problems));
  return parsed.policy;
}
const set = (...policies: Policy[]): PolicySet => ({
  sources: ['/etc/ftpsctl/policies'],
  policies,
  failures: [],
  ignored: [],
  warnings: [],
  managed: true,
});
const profile = (extra: Partial<SessionProfile> = {}): { raw: SessionProfile; file: string } => ({
  raw: { name: 'p', host: 'ftp.example', user: 'u', password: { env: 'X' }, ...extra } as SessionProfile,
  file: '/home/u/p.json',
});

describe('applicability on the effective host', () => {
  const redirect = policy(
    'redirect',
    '<appliesTo><host>*.old.example</host></appliesTo><setting path="host" enforce="mandatory">ftp.agency.example</setting>',
  );
  const fips = policy(
    'agency',
    '<appliesTo><host>*.agency.example</host></appliesTo><setting path="tls.fipsMode" enforce="mandatory">true</setting>',
  );

  it('a mandate that changes the host brings in the policies scoped to where the session really goes', () => {
    const r = resolveProfile(profile({ host: 'ftp.old.example' }), set(redirect, fips));
    expect(r.settings.host.value).toBe('ftp.agency.example');
    expect(r.settings['tls.fipsMode']).toMatchObject({ value: true, policy: 'agency' });
    expect(r.policies.map((p) => p.name)).toEqual(['redirect', 'agency']);
  });

  it('a profile host spelled with a trailing dot or capitals is the same host', () => {
    for (const host of ['ftp.agency.example.', 'FTP.Agency.Example']) {
      const r = resolveProfile(profile({ host }), set(fips));
      expect(r.settings.host.value).toBe('ftp.agency.example');
      expect(r.settings['tls.fipsMode'].value).toBe(true);
      expect(r.warnings).toContain(
        `host "${host}" is ftp.agency.example written canonically; policy rules and the connection use ftp.agency.example`,
      );
    }
  });

  it('address-scoped policies apply to a name through its looked-up addresses', async () => {
    const net = policy(
      'net',
      '<appliesTo><host>10.0.0.0/8</host></appliesTo><setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>',
    );
    expect(resolveProfile(profile(), set(net)).settings['tls.minVersion'].value).toBe('TLSv1.2');
    const r = await resolveForSession(profile(), set(net), async () => ['10.1.2.3']);
    expect(r.settings['tls.minVersion']).toMatchObject({ value: 'TLSv1.3', policy: 'net' });
    // Resolved without its address (not found at look-up), the policy still guards the dial.
    const blind = resolveProfile(profile(), set(net));
    expect(() => dialedAddressCheck(blind)('10.9.9.9', 'control', 'direct')).toThrow(
      /policy net .* applies to 10\.0\.0\.0\/8, which covers the address dialed \(10\.9\.9\.9\)/,
    );
    expect(() => dialedAddressCheck(blind)('192.0.2.1', 'control', 'direct')).not.toThrow();
  });
});

describe('address rules on the dialed address', () => {
  const deny = policy(
    'deny',
    '<setting path="host" enforce="deny"><value>127.0.0.0/8</value><value>::1/128</value></setting>',
  );

  it('an IP host in any notation is refused at resolution', () => {
    for (const host of ['127.1', '2130706433', '0x7f000001', '::1', '0:0:0:0:0:0:0:1'])
      expect(resolveProfile(profile({ host }), set(deny)).decision).toBe('refuse');
  });

  it('a name is refused when it dials a denied address, control or data; other addresses pass', () => {
    const r = resolveProfile(profile({ host: 'files.example' }), set(deny));
    expect(r.decision).toBe('allow');
    const check = dialedAddressCheck(r);
    expect(() => check('127.0.0.1', 'control', 'direct')).toThrow(
      expect.objectContaining({ code: 'FTPSCTL_ERR_REFUSED_BY_POLICY' }),
    );
    expect(() => check('::ffff:127.0.0.1', 'data', 'direct')).toThrow(
      /the address 127\.0\.0\.1 is denied by policy deny/,
    );
    expect(() => check('::1', 'data', 'direct')).toThrow(/matches ::1\/128/);
    expect(() => check('192.0.2.10', 'data', 'direct')).not.toThrow();
    // Through a proxy the rules apply to the name the proxy is asked to reach.
    expect(() => check('files.example', 'control', 'proxy')).not.toThrow();
  });

  it('the unspecified address (0.0.0.0, 0, ::) counts as loopback: deny 127.0.0.0/8 and ::1/128 cover it (review D3)', () => {
    for (const host of ['0.0.0.0', '0', '::', '::ffff:0.0.0.0'])
      expect(resolveProfile(profile({ host }), set(deny)).decision).toBe('refuse');
    const check = dialedAddressCheck(resolveProfile(profile({ host: 'sinkholed.example' }), set(deny)));
    expect(() => check('0.0.0.0', 'control', 'direct')).toThrow(/denied by policy deny/);
    expect(() => check('::', 'data', 'direct')).toThrow(/matches ::1\/128/);
    // A rule written for 0.0.0.0 itself still covers it.
    const zero = policy('zero', '<setting path="host" enforce="deny"><value>0.0.0.0/8</value></setting>');
    expect(resolveProfile(profile({ host: '0.0.0.0' }), set(zero)).decision).toBe('refuse');
  });

  it('proxy.host address rules are checked on the address a proxy name dials (review D4)', () => {
    const proxyRules = policy(
      'proxies',
      '<setting path="proxy.host" enforce="deny"><value>127.0.0.0/8</value></setting>' +
        '<setting path="proxy.host" enforce="allow"><value>10.0.0.0/8</value><value>proxy.corp.example</value></setting>',
    );
    const viaProxy = (host: string) =>
      profile({ proxy: { enabled: true, type: 'https-connect', host, port: 3128 } } as Partial<SessionProfile>);
    const named = resolveProfile(viaProxy('proxy.other.example'), set(proxyRules));
    expect(named.decision).toBe('allow'); // its address is not known yet
    const check = dialedAddressCheck(named);
    expect(() => check('10.1.1.1', 'proxy', 'direct')).not.toThrow();
    expect(() => check('127.0.0.1', 'proxy', 'direct')).toThrow(/denied for proxy\.host by policy proxies/);
    expect(() => check('192.0.2.1', 'proxy', 'direct')).toThrow(/not allowed for proxy\.host by policy proxies/);
    // The server's own rules are not the proxy's: a control address is checked against host rules only.
    expect(() => check('127.0.0.1', 'control', 'proxy')).not.toThrow();
    // A proxy allowed by name needs no address rule of the allow list; the deny rules still apply to its address.
    const byName = dialedAddressCheck(resolveProfile(viaProxy('proxy.corp.example'), set(proxyRules)));
    expect(() => byName('192.0.2.1', 'proxy', 'direct')).not.toThrow();
    expect(() => byName('127.0.0.5', 'proxy', 'direct')).toThrow(/denied for proxy\.host/);
  });

  it('an allow list by address needs the dialed address; through a proxy it fails closed', () => {
    const allow = policy('allow', '<setting path="host" enforce="allow"><value>10.0.0.0/8</value></setting>');
    const r = resolveProfile(profile({ host: 'files.example' }), set(allow));
    const check = dialedAddressCheck(r);
    expect(() => check('10.0.0.7', 'control', 'direct')).not.toThrow();
    expect(() => check('192.0.2.1', 'control', 'direct')).toThrow(/not allowed by policy allow/);
    expect(() => check('files.example', 'control', 'proxy')).toThrow(/through a proxy the address is not known/);
    expect(resolveProfile(profile({ host: '192.0.2.1' }), set(allow)).decision).toBe('refuse');
  });
});

describe('the intent of mandates', () => {
  it('refuses tls.enabled false under any TLS mandate, naming each', () => {
    const mandates = policy(
      'tls',
      '<setting path="tls.encryptDataChannel" enforce="mandatory">true</setting><setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>',
    );
    const r = resolveProfile(profile({ tls: { enabled: false } } as Partial<SessionProfile>), set(mandates));
    expect(r.decision).toBe('refuse');
    expect(r.violations[0].message).toContain('tls.encryptDataChannel mandatory in policy tls');
    expect(r.violations[0].message).toContain('tls.minVersion floor in policy tls');
    expect(resolveProfile(profile({ tls: { enabled: false } } as Partial<SessionProfile>), set()).decision).toBe(
      'allow',
    );
  });

  it("adds up every mandated audit log, anchored at its policy folder, and the profile's own", () => {
    const a = policy(
      'a',
      '<setting path="audit.logFile" enforce="mandatory">/var/log/a.jsonl</setting>',
      'scope="machine" priority="200"',
    );
    const b = policy('b', '<setting path="audit.logFile" enforce="mandatory">b.jsonl</setting>');
    const r = resolveProfile(profile({ audit: { logFile: 'mine.jsonl' } }), set(a, b));
    expect(r.settings['audit.logFile'].value).toBe('/var/log/a.jsonl');
    expect(r.auditLogFiles).toEqual(['/var/log/a.jsonl', '/etc/ftpsctl/policies/b.jsonl', '/home/u/mine.jsonl']);
  });

  it('records a recommendation the profile overrides', () => {
    const rec = policy('rec', '<setting path="tls.minVersion" enforce="recommended">TLSv1.3</setting>');
    const r = resolveProfile(profile({ tls: { minVersion: 'TLSv1.2' } } as Partial<SessionProfile>), set(rec));
    expect(r.settings['tls.minVersion']).toMatchObject({
      value: 'TLSv1.2',
      source: 'profile',
      rejectedRecommendation: { value: 'TLSv1.3', policy: 'rec' },
    });
    expect(
      resolveProfile(profile({ tls: { minVersion: 'TLSv1.3' } } as Partial<SessionProfile>), set(rec)).settings[
        'tls.minVersion'
      ].rejectedRecommendation,
    ).toBeUndefined();
  });

  it('names every policy source with its scope, source and SHA-256, and whether the run is managed', () => {
    const claimed = {
      ...policy('u', '', 'scope="user" priority="1"'),
      source: 'user' as const,
      declared: { scope: 'machine' as const, priority: 9999 },
    };
    const r = resolveProfile(profile(), set(claimed));
    expect(r.managed).toBe(true);
    expect(r.policySources).toEqual([
      {
        path: '/etc/ftpsctl/policies/u.xml',
        scope: 'user',
        source: 'user',
        sha256: claimed.sha256,
        policy: 'u',
        declaredScope: 'machine',
        usable: true,
      },
    ]);
    expect(resolveProfile(profile(), { ...set(), sources: [], managed: false }).managed).toBe(false);
  });
});

describe('numeric settings have a direction, or ties say neither is more secure', () => {
  const at = (name: string, body: string): Policy => policy(name, body, 'scope="machine" priority="5"');

  it('a shorter idle timeout and fewer parallel connections win a tie, and the message says which way is more secure', () => {
    const r = resolveProfile(
      profile(),
      set(
        at(
          'long',
          '<setting path="network.idleTimeoutMs" enforce="mandatory">3600000</setting><setting path="transfer.parallel" enforce="mandatory">16</setting>',
        ),
        at(
          'short',
          '<setting path="network.idleTimeoutMs" enforce="mandatory">30000</setting><setting path="transfer.parallel" enforce="mandatory">1</setting>',
        ),
      ),
    );
    expect(r.settings['network.idleTimeoutMs']).toMatchObject({ value: 30000, policy: 'short' });
    expect(r.settings['transfer.parallel']).toMatchObject({ value: 1, policy: 'short' });
    expect(r.conflicts.map((c) => c.message)).toEqual([
      expect.stringContaining('(for network.idleTimeoutMs, lower is more secure)'),
      expect.stringContaining('(for transfer.parallel, lower is more secure)'),
    ]);
  });

  it('a connect-timeout tie has no secure side: the session is refused as a contradiction', () => {
    const r = resolveProfile(
      profile(),
      set(
        at('a', '<setting path="network.connectTimeoutMs" enforce="mandatory">1000</setting>'),
        at('b', '<setting path="network.connectTimeoutMs" enforce="mandatory">60000</setting>'),
      ),
    );
    expect(r.decision).toBe('refuse');
    expect(r.violations[0].message).toContain('and neither is more secure');
  });
});

describe('settings made manageable', () => {
  it('port allow lists and ranges', () => {
    const ports = policy(
      'ports',
      '<setting path="port" enforce="allow"><value>21</value><value>990</value><value>2100-2199</value></setting>',
    );
    expect(resolveProfile(profile({ port: 2121 }), set(ports)).decision).toBe('allow');
    expect(resolveProfile(profile({ port: 990 }), set(ports)).decision).toBe('allow');
    expect(resolveProfile(profile({ port: 8021 }), set(ports)).violations[0].message).toContain(
      'port 8021 is not allowed by policy ports',
    );
  });

  it('user, tls.serverName and proxy.serverName allow and deny lists', () => {
    const users = policy(
      'users',
      '<setting path="user" enforce="deny"><value>root</value><value>admin*</value></setting><setting path="tls.serverName" enforce="allow"><value>*.example</value></setting>',
    );
    expect(resolveProfile(profile({ user: 'administrator' }), set(users)).decision).toBe('refuse');
    expect(resolveProfile(profile({ user: 'alice' }), set(users)).decision).toBe('allow');
    expect(
      resolveProfile(profile({ tls: { serverName: 'evil.test.' } } as Partial<SessionProfile>), set(users))
        .violations[0].message,
    ).toContain('tls.serverName evil.test is not allowed by policy users');
    expect(
      resolveProfile(profile({ tls: { serverName: 'FTP.EXAMPLE.' } } as Partial<SessionProfile>), set(users)).decision,
    ).toBe('allow');
  });

  it('pins can be allow-listed, fingerprints in any spelling, public key pins exactly', () => {
    const fp = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
    const key = `sha256//${'A'.repeat(43)}=`;
    const pins = policy(
      'pins',
      `<setting path="tls.pki.pinnedSha256" enforce="allow"><value>${fp}</value></setting><setting path="tls.pki.pinnedPublicKeySha256" enforce="allow"><value>${key}</value></setting>`,
    );
    const withPins = (sha: string[], keys: string[]): Partial<SessionProfile> =>
      ({ tls: { pki: { pinnedSha256: sha, pinnedPublicKeySha256: keys } } }) as Partial<SessionProfile>;
    expect(resolveProfile(profile(withPins([fp.toLowerCase()], [key])), set(pins)).decision).toBe('allow');
    expect(resolveProfile(profile(withPins([fp.replace('AB', '00')], [key])), set(pins)).decision).toBe('refuse');
    expect(resolveProfile(profile(withPins([fp], [key.toLowerCase()])), set(pins)).decision).toBe('refuse');
  });

  it('trust anchors can be allow-listed by installed path; a CA next to the profile is not the allowed one', () => {
    const anchors = policy(
      'anchors',
      '<setting path="tls.pki.caFile" enforce="allow"><value>/etc/ftpsctl/ca/*.pem</value></setting>',
    );
    expect(
      resolveProfile(
        profile({ tls: { pki: { caFile: '/etc/ftpsctl/ca/corp.pem' } } } as Partial<SessionProfile>),
        set(anchors),
      ).decision,
    ).toBe('allow');
    const own = resolveProfile(
      profile({ tls: { pki: { caFile: 'corp.pem' } } } as Partial<SessionProfile>),
      set(anchors),
    );
    expect(own.violations[0].message).toBe(
      'tls.pki.caFile /home/u/corp.pem is not allowed by policy anchors (/etc/ftpsctl/policies/anchors.xml:1), which allows only /etc/ftpsctl/ca/*.pem',
    );
  });

  it('the client certificate can be mandated (JSON in the policy)', () => {
    const cert = policy(
      'cert',
      '<setting path="tls.pki.clientCertificate" enforce="mandatory">{"certFile": "/etc/ftpsctl/client.pem", "keyFile": "/etc/ftpsctl/client.key"}</setting>',
    );
    const r = resolveProfile(
      profile({
        tls: { pki: { clientCertificate: { certFile: 'mine.pem', keyFile: 'mine.key' } } },
      } as Partial<SessionProfile>),
      set(cert),
    );
    expect(r.settings['tls.pki.clientCertificate']).toMatchObject({
      value: { certFile: '/etc/ftpsctl/client.pem', keyFile: '/etc/ftpsctl/client.key' },
      status: 'overridden',
    });
  });
});
