import { parsePolicyText } from '../policy/parse-policy';
import type { Policy, PolicyFailure } from '../policy/policy';
import type { PolicySet } from '../policy/policy-set';
import type { SessionProfile } from '../settings/generated/session-profile';
import type { Resolution, ResolvedSetting } from './resolution';
import { resolveProfile } from './resolve-profile';

type Entry = [path: string, enforce: string, value: string | string[]];

interface PolicyOptions {
  scope?: 'machine' | 'user';
  priority?: number;
  profiles?: string[];
  hosts?: string[];
}

/** A real policy: XML text through the real parser, so positions and typing are the real ones. */
function policy(name: string, options: PolicyOptions, ...entries: Entry[]): Policy {
  const applies =
    options.profiles || options.hosts
      ? `  <appliesTo>${(options.profiles ?? []).map((p) => `<profile>${p}</profile>`).join('')}${(options.hosts ?? []).map((h) => `<host>${h}</host>`).join('')}</appliesTo>\n`
      : '';
  const settings = entries
    .map(([path, enforce, value]) =>
      Array.isArray(value)
        ? `  <setting path="${path}" enforce="${enforce}">${value.map((v) => `<value>${v}</value>`).join('')}</setting>\n`
        : `  <setting path="${path}" enforce="${enforce}">${value}</setting>\n`,
    )
    .join('');
  const text = `<policy xmlns="urn:ftpsctl:policy:1" name="${name}" scope="${options.scope ?? 'machine'}" priority="${options.priority ?? 100}">\n${applies}${settings}</policy>\n`;
  const parsed = parsePolicyText(text, `${name}.xml`);
  if (!parsed.policy) throw new Error(`test policy ${name} is invalid: ${JSON.stringify(parsed.problems)}`);
  return parsed.policy;
}

function set(policies: Policy[], failures: PolicyFailure[] = []): PolicySet {
  return { sources: ['test'], policies, failures, ignored: [], warnings: [] };
}

const base: SessionProfile = { name: 'payroll', host: 'ftp.corp.example', user: 'alice', password: { env: 'PW' } };
const PIN = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

function resolve(profile: Partial<SessionProfile>, ...policies: Policy[]): Resolution {
  return resolveProfile({ raw: { ...base, ...profile } as SessionProfile }, set(policies));
}

function setting(resolution: Resolution, path: string): ResolvedSetting {
  return resolution.settings[path];
}

/** value, source and status: what every resolution test pins down. */
function vss(resolution: Resolution, path: string): [unknown, string, string] {
  const s = setting(resolution, path);
  return [s.value, s.source, s.status];
}

describe('resolveProfile: defaults and the profile', () => {
  it('uses the built-in default where nothing else speaks', () => {
    const r = resolve({});
    expect(vss(r, 'tls.minVersion')).toEqual(['TLSv1.2', 'default', 'default']);
    expect(r.decision).toBe('allow');
    expect(r.violations).toEqual([]);
  });

  it("uses the profile's value when no policy touches it", () => {
    expect(vss(resolve({ tls: { minVersion: 'TLSv1.3' } }), 'tls.minVersion')).toEqual([
      'TLSv1.3',
      'profile',
      'profile',
    ]);
  });

  it('derives the port from the resolved tls.implicit, including one forced by policy', () => {
    expect(vss(resolve({}), 'port')).toEqual([21, 'default', 'default']);
    expect(vss(resolve({ tls: { implicit: true } }), 'port')).toEqual([990, 'default', 'default']);
    expect(vss(resolve({}, policy('implicit', {}, ['tls.implicit', 'mandatory', 'true'])), 'port')).toEqual([
      990,
      'default',
      'default',
    ]);
    expect(vss(resolve({ port: 2121 }, policy('implicit', {}, ['tls.implicit', 'mandatory', 'true'])), 'port')).toEqual(
      [2121, 'profile', 'profile'],
    );
  });

  it('derives tls.serverName from the host and proxy.serverName from the proxy host', () => {
    const r = resolve({ proxy: { enabled: true, host: 'proxy.corp.example', port: 3129 } });
    expect(vss(r, 'tls.serverName')).toEqual(['ftp.corp.example', 'default', 'default']);
    expect(vss(r, 'proxy.serverName')).toEqual(['proxy.corp.example', 'default', 'default']);
  });

  it('leaves optional settings without a default unset', () => {
    expect(vss(resolve({}), 'tls.pki.caFile')).toEqual([undefined, 'default', 'default']);
  });

  it('lists every catalog setting, in catalog order', () => {
    const paths = Object.keys(resolve({}).settings);
    expect(paths.slice(0, 7)).toEqual(['name', 'description', 'host', 'port', 'user', 'password', 'tls.enabled']);
    expect(paths).toContain('audit.logFile');
  });
});

describe('resolveProfile: mandatory', () => {
  const fips = policy('fips', {}, ['tls.fipsMode', 'mandatory', 'true']);

  it('applies a mandatory value where the profile is silent', () => {
    const r = resolve({}, fips);
    expect(vss(r, 'tls.fipsMode')).toEqual([true, 'policy', 'applied']);
    expect(setting(r, 'tls.fipsMode')).toMatchObject({
      policy: 'fips',
      file: 'fips.xml',
      line: 2,
      enforce: 'mandatory',
    });
  });

  it("overrides the profile's value and keeps it in profileValue", () => {
    const r = resolve(
      { tls: { clearCommandChannel: true } },
      policy('no-ccc', {}, ['tls.clearCommandChannel', 'mandatory', 'false']),
    );
    expect(vss(r, 'tls.clearCommandChannel')).toEqual([false, 'policy', 'overridden']);
    expect(setting(r, 'tls.clearCommandChannel').profileValue).toBe(true);
  });

  it('says kept when the profile already has the mandatory value', () => {
    const r = resolve({ tls: { fipsMode: true } }, fips);
    expect(vss(r, 'tls.fipsMode')).toEqual([true, 'policy', 'kept']);
    expect('profileValue' in setting(r, 'tls.fipsMode')).toBe(false);
  });

  it('refuses a profile that turns TLS off under a TLS mandate', () => {
    const r = resolve({ tls: { enabled: false } }, policy('tls', {}, ['tls.enabled', 'mandatory', 'true']));
    expect(r.decision).toBe('refuse');
    expect(r.violations).toEqual([
      {
        path: 'tls.enabled',
        policy: 'tls',
        file: 'tls.xml',
        line: 2,
        column: 3,
        message:
          'tls.enabled: the profile turns TLS off, but policy tls (tls.xml:2) makes TLS mandatory; remove "enabled": false from the profile',
      },
    ]);
  });

  it('forces list values (pinned fingerprints)', () => {
    const r = resolve({}, policy('pins', {}, ['tls.pki.pinnedSha256', 'mandatory', [PIN]]));
    expect(vss(r, 'tls.pki.pinnedSha256')).toEqual([[PIN], 'policy', 'applied']);
  });

  it('forces the audit log file', () => {
    const r = resolve(
      { audit: { logFile: '/tmp/mine.jsonl' } },
      policy('audit', {}, ['audit.logFile', 'mandatory', '/var/log/ftpsctl/audit.jsonl']),
    );
    expect(vss(r, 'audit.logFile')).toEqual(['/var/log/ftpsctl/audit.jsonl', 'policy', 'overridden']);
  });
});

describe('resolveProfile: recommended', () => {
  const rec = policy('rec', { scope: 'user', priority: 5 }, ['transfer.verify', 'recommended', 'hash']);

  it('applies a recommended value where the profile is silent', () => {
    expect(vss(resolve({}, rec), 'transfer.verify')).toEqual(['hash', 'policy', 'applied']);
  });

  it('lets the profile override a recommended value', () => {
    expect(vss(resolve({ transfer: { verify: 'none' } }, rec), 'transfer.verify')).toEqual([
      'none',
      'profile',
      'profile',
    ]);
  });

  it('puts mandatory above recommended and keeps the recommended value as an override', () => {
    const r = resolve({}, rec, policy('must', {}, ['transfer.verify', 'mandatory', 'size']));
    expect(vss(r, 'transfer.verify')).toEqual(['size', 'policy', 'applied']);
    expect(setting(r, 'transfer.verify').conflicts).toEqual([
      { policy: 'rec', file: 'rec.xml', line: 2, column: 3, value: 'hash', enforce: 'recommended', type: 'override' },
    ]);
  });

  it('uses the higher-ranked recommended value', () => {
    const r = resolve(
      {},
      rec,
      policy('rec-machine', { scope: 'machine', priority: 1 }, ['transfer.verify', 'recommended', 'size']),
    );
    expect(vss(r, 'transfer.verify')).toEqual(['size', 'policy', 'applied']);
    expect(setting(r, 'transfer.verify').policy).toBe('rec-machine');
  });
});

describe('resolveProfile: rank', () => {
  it('machine scope beats user scope whatever the priority', () => {
    const r = resolve(
      {},
      policy('user-high', { scope: 'user', priority: 999 }, ['tls.implicit', 'mandatory', 'true']),
      policy('machine-low', { scope: 'machine', priority: 1 }, ['tls.implicit', 'mandatory', 'false']),
    );
    expect(vss(r, 'tls.implicit')).toEqual([false, 'policy', 'applied']);
    expect(setting(r, 'tls.implicit').policy).toBe('machine-low');
    expect(setting(r, 'tls.implicit').conflicts).toEqual([
      {
        policy: 'user-high',
        file: 'user-high.xml',
        line: 2,
        column: 3,
        value: true,
        enforce: 'mandatory',
        type: 'override',
      },
    ]);
  });

  it('higher priority wins within a scope', () => {
    const r = resolve(
      {},
      policy('low', { priority: 10 }, ['network.nat', 'mandatory', 'false']),
      policy('high', { priority: 20 }, ['network.nat', 'mandatory', 'true']),
    );
    expect(vss(r, 'network.nat')).toEqual([true, 'policy', 'applied']);
    expect(setting(r, 'network.nat').policy).toBe('high');
  });

  it('records a same value of lower rank as supersede', () => {
    const r = resolve(
      {},
      policy('low', { priority: 10 }, ['tls.fipsMode', 'mandatory', 'true']),
      policy('high', { priority: 20 }, ['tls.fipsMode', 'mandatory', 'true']),
    );
    expect(setting(r, 'tls.fipsMode').policy).toBe('high');
    expect(setting(r, 'tls.fipsMode').conflicts).toEqual([
      { policy: 'low', file: 'low.xml', line: 2, column: 3, value: true, enforce: 'mandatory', type: 'supersede' },
    ]);
    expect(r.conflicts).toEqual([]);
  });
});

describe('resolveProfile: equal rank', () => {
  it('gives an ordered setting the more secure value and reports the conflict', () => {
    const r = resolve(
      {},
      policy('a', {}, ['tls.minVersion', 'mandatory', 'TLSv1.2']),
      policy('b', {}, ['tls.minVersion', 'mandatory', 'TLSv1.3']),
    );
    expect(vss(r, 'tls.minVersion')).toEqual(['TLSv1.3', 'policy', 'applied']);
    expect(setting(r, 'tls.minVersion').policy).toBe('b');
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]).toMatchObject({
      path: 'tls.minVersion',
      value: 'TLSv1.3',
      winner: { policy: 'b', value: 'TLSv1.3' },
      losers: [{ policy: 'a', value: 'TLSv1.2' }],
    });
    expect(r.conflicts[0].message).toBe(
      'tls.minVersion: policy a (a.xml:2) and policy b (b.xml:2) have equal rank (mandatory); the more secure value TLSv1.3 wins over TLSv1.2',
    );
    expect(r.decision).toBe('allow');
  });

  it('uses the secure order of the setting (no CCC is more secure than CCC)', () => {
    const r = resolve(
      {},
      policy('a', {}, ['tls.clearCommandChannel', 'mandatory', 'false']),
      policy('b', {}, ['tls.clearCommandChannel', 'mandatory', 'true']),
    );
    expect(vss(r, 'tls.clearCommandChannel')).toEqual([false, 'policy', 'applied']);
    expect(setting(r, 'tls.clearCommandChannel').policy).toBe('a');
  });

  it('treats the same value at equal rank as no conflict', () => {
    const r = resolve(
      {},
      policy('a', {}, ['tls.fipsMode', 'mandatory', 'true']),
      policy('b', {}, ['tls.fipsMode', 'mandatory', 'true']),
    );
    expect(r.conflicts).toEqual([]);
    expect(setting(r, 'tls.fipsMode').conflicts).toEqual([
      { policy: 'b', file: 'b.xml', line: 2, column: 3, value: true, enforce: 'mandatory', type: 'supersede' },
    ]);
  });

  it('refuses when an unordered setting gets two values at equal rank', () => {
    const r = resolve(
      {},
      policy('a', {}, ['tls.implicit', 'mandatory', 'true']),
      policy('b', {}, ['tls.implicit', 'mandatory', 'false']),
    );
    expect(r.decision).toBe('refuse');
    expect(r.violations.map((v) => v.message)).toEqual([
      'tls.implicit: policy a (a.xml:2) and policy b (b.xml:2) have equal rank (machine scope, priority 100) and make it mandatory with different values (true and false); give one a higher priority or make them agree',
    ]);
  });

  it('breaks a tie between recommended values the same way', () => {
    const r = resolve(
      {},
      policy('a', { scope: 'user' }, ['transfer.verify', 'recommended', 'size']),
      policy('b', { scope: 'user' }, ['transfer.verify', 'recommended', 'hash']),
    );
    expect(vss(r, 'transfer.verify')).toEqual(['hash', 'policy', 'applied']);
    expect(r.conflicts.map((c) => c.path)).toEqual(['transfer.verify']);
  });
});

describe('resolveProfile: floors and ceilings', () => {
  const floor13 = policy('floor13', {}, ['tls.minVersion', 'floor', 'TLSv1.3']);

  it("raises the profile's value to the floor", () => {
    const r = resolve({ tls: { minVersion: 'TLSv1.2' } }, floor13);
    expect(vss(r, 'tls.minVersion')).toEqual(['TLSv1.3', 'policy', 'raised']);
    expect(setting(r, 'tls.minVersion')).toMatchObject({
      profileValue: 'TLSv1.2',
      policy: 'floor13',
      enforce: 'floor',
      line: 2,
    });
  });

  it('raises the default to the floor, without a profile value', () => {
    const r = resolve({}, floor13);
    expect(vss(r, 'tls.minVersion')).toEqual(['TLSv1.3', 'policy', 'raised']);
    expect('profileValue' in setting(r, 'tls.minVersion')).toBe(false);
  });

  it('keeps a profile value that meets the floor', () => {
    const r = resolve({ tls: { minVersion: 'TLSv1.3' } }, floor13);
    expect(vss(r, 'tls.minVersion')).toEqual(['TLSv1.3', 'profile', 'kept']);
    expect(setting(r, 'tls.minVersion').constraints).toEqual([
      { policy: 'floor13', file: 'floor13.xml', line: 2, column: 3, enforce: 'floor', value: 'TLSv1.3' },
    ]);
  });

  it('keeps a default that meets the floor as a default', () => {
    expect(vss(resolve({}, policy('f', {}, ['tls.minVersion', 'floor', 'TLSv1.2'])), 'tls.minVersion')).toEqual([
      'TLSv1.2',
      'default',
      'default',
    ]);
  });

  it('combines floors by max', () => {
    const r = resolve(
      {},
      policy('f1', {}, ['transfer.verify', 'floor', 'size']),
      policy('f2', { scope: 'user', priority: 1 }, ['transfer.verify', 'floor', 'hash']),
    );
    expect(vss(r, 'transfer.verify')).toEqual(['hash', 'policy', 'raised']);
    expect(setting(r, 'transfer.verify').policy).toBe('f2');
  });

  it('lowers a value above the ceiling', () => {
    const r = resolve(
      { network: { connectTimeoutMs: 60000 } },
      policy('c', {}, ['network.connectTimeoutMs', 'ceiling', '30000']),
    );
    expect(vss(r, 'network.connectTimeoutMs')).toEqual([30000, 'policy', 'lowered']);
    expect(setting(r, 'network.connectTimeoutMs').profileValue).toBe(60000);
  });

  it('combines ceilings by min', () => {
    const r = resolve(
      {},
      policy('c1', {}, ['transfer.parallel', 'ceiling', '8']),
      policy('c2', {}, ['transfer.parallel', 'ceiling', '2']),
    );
    expect(vss(r, 'transfer.parallel')).toEqual([2, 'policy', 'lowered']);
    expect(setting(r, 'transfer.parallel').policy).toBe('c2');
  });

  it('keeps a value between floor and ceiling', () => {
    const r = resolve(
      { network: { idleTimeoutMs: 30000 } },
      policy('fc', {}, ['network.idleTimeoutMs', 'floor', '10000'], ['network.idleTimeoutMs', 'ceiling', '60000']),
    );
    expect(vss(r, 'network.idleTimeoutMs')).toEqual([30000, 'profile', 'kept']);
  });

  it('refuses a floor above a ceiling', () => {
    const r = resolve(
      {},
      policy('f', {}, ['tls.encryptionStrength', 'floor', '256']),
      policy('c', {}, ['tls.encryptionStrength', 'ceiling', '128']),
    );
    expect(r.decision).toBe('refuse');
    expect(r.violations.map((v) => v.message)).toEqual([
      'tls.encryptionStrength: the floor 256 of policy f (f.xml:2) is above the ceiling 128 of policy c (c.xml:2); no value satisfies both',
    ]);
  });

  it('refuses a mandatory value below a floor, whatever their ranks (constraints ignore rank)', () => {
    const r = resolve(
      {},
      policy('must', { priority: 900 }, ['tls.minVersion', 'mandatory', 'TLSv1.2']),
      policy('user-floor', { scope: 'user', priority: 1 }, ['tls.minVersion', 'floor', 'TLSv1.3']),
    );
    expect(r.decision).toBe('refuse');
    expect(r.violations.map((v) => v.message)).toEqual([
      'tls.minVersion: the mandatory value TLSv1.2 of policy must (must.xml:2) is below the floor TLSv1.3 of policy user-floor (user-floor.xml:2)',
    ]);
  });

  it('refuses a mandatory value above a ceiling', () => {
    const r = resolve(
      {},
      policy('must', {}, ['transfer.parallel', 'mandatory', '8']),
      policy('cap', {}, ['transfer.parallel', 'ceiling', '4']),
    );
    expect(r.violations.map((v) => v.message)).toEqual([
      'transfer.parallel: the mandatory value 8 of policy must (must.xml:2) is above the ceiling 4 of policy cap (cap.xml:2)',
    ]);
  });

  it('raises a recommended value that is below a floor', () => {
    const r = resolve({}, policy('rec', { scope: 'user' }, ['tls.minVersion', 'recommended', 'TLSv1.2']), floor13);
    expect(vss(r, 'tls.minVersion')).toEqual(['TLSv1.3', 'policy', 'raised']);
  });

  it('orders encryption strength default < 128 < 256', () => {
    expect(
      vss(resolve({}, policy('s', {}, ['tls.encryptionStrength', 'floor', '128'])), 'tls.encryptionStrength'),
    ).toEqual([128, 'policy', 'raised']);
    expect(
      vss(
        resolve({ tls: { encryptionStrength: 256 } }, policy('s', {}, ['tls.encryptionStrength', 'ceiling', '128'])),
        'tls.encryptionStrength',
      ),
    ).toEqual([128, 'policy', 'lowered']);
  });

  it('raises revocation to crl and allows it when the profile has CRL files', () => {
    const r = resolve(
      { tls: { pki: { crlFiles: ['ca.crl'] } } },
      policy('crl', {}, ['tls.pki.revocation', 'floor', 'crl']),
    );
    expect(vss(r, 'tls.pki.revocation')).toEqual(['crl', 'policy', 'raised']);
    expect(r.decision).toBe('allow');
  });

  it('refuses a revocation floor when the profile has no CRL files', () => {
    const r = resolve({}, policy('crl', {}, ['tls.pki.revocation', 'floor', 'crl']));
    expect(r.violations).toEqual([
      {
        path: 'tls.pki.revocation',
        policy: 'crl',
        file: 'crl.xml',
        line: 2,
        column: 3,
        message:
          'tls.pki.revocation is "crl" (floor in policy crl, crl.xml:2) but tls.pki.crlFiles is empty: add the CRL files to check against (tls.pki.crlFiles)',
      },
    ]);
  });
});

describe('resolveProfile: allow and deny lists', () => {
  const corpOnly = policy('corp-only', {}, ['host', 'allow', ['*.corp.example']]);

  it('keeps a host the allow list allows', () => {
    const r = resolve({}, corpOnly);
    expect(vss(r, 'host')).toEqual(['ftp.corp.example', 'profile', 'kept']);
    expect(setting(r, 'host').constraints).toEqual([
      { policy: 'corp-only', file: 'corp-only.xml', line: 2, column: 3, enforce: 'allow', value: ['*.corp.example'] },
    ]);
  });

  it('refuses a host the allow list does not allow', () => {
    const r = resolve({ host: 'ftp.other.example' }, corpOnly);
    expect(r.decision).toBe('refuse');
    expect(r.violations).toEqual([
      {
        path: 'host',
        policy: 'corp-only',
        file: 'corp-only.xml',
        line: 2,
        column: 3,
        message:
          'host ftp.other.example is not allowed by policy corp-only (corp-only.xml:2), which allows only *.corp.example',
      },
    ]);
  });

  it('matches host globs case-insensitively', () => {
    expect(resolve({ host: 'FTP.Corp.Example' }, corpOnly).decision).toBe('allow');
  });

  it('intersects allow lists: the host must be in each', () => {
    const ftpOnly = policy('ftp-only', {}, ['host', 'allow', ['ftp.*', 'ftps.*']]);
    expect(resolve({ host: 'ftp.corp.example' }, corpOnly, ftpOnly).decision).toBe('allow');
    const r = resolve({ host: 'sftp.corp.example' }, corpOnly, ftpOnly);
    expect(r.violations.map((v) => v.policy)).toEqual(['ftp-only']);
  });

  it('refuses allow lists with nothing in common', () => {
    const r = resolve({}, corpOnly, policy('bank-only', {}, ['host', 'allow', ['*.bank.example']]));
    expect(r.decision).toBe('refuse');
    expect(r.violations.map((v) => v.message)).toContain(
      'host: the allow lists of policy corp-only (corp-only.xml:2) (*.corp.example) and policy bank-only (bank-only.xml:2) (*.bank.example) have no name in common, so nothing is allowed',
    );
  });

  it('refuses a denied host', () => {
    const r = resolve(
      { host: 'drop.example.net' },
      policy('no-net', { scope: 'user' }, ['host', 'deny', ['*.example.net']]),
    );
    expect(r.violations).toEqual([
      {
        path: 'host',
        policy: 'no-net',
        file: 'no-net.xml',
        line: 2,
        column: 3,
        message: 'host drop.example.net is denied by policy no-net (no-net.xml:2): it matches *.example.net',
      },
    ]);
  });

  it('unites deny lists', () => {
    const r = resolve(
      { host: 'b.example' },
      policy('d1', {}, ['host', 'deny', ['a.example']]),
      policy('d2', {}, ['host', 'deny', ['b.example']]),
    );
    expect(r.violations.map((v) => v.policy)).toEqual(['d2']);
  });

  it('lets deny beat allow', () => {
    const r = resolve(
      { host: 'legacy.corp.example' },
      corpOnly,
      policy('no-legacy', { scope: 'user' }, ['host', 'deny', ['legacy.*']]),
    );
    expect(r.decision).toBe('refuse');
    expect(r.violations.map((v) => v.policy)).toEqual(['no-legacy']);
  });

  it('refuses an allow list that a deny list covers completely', () => {
    const r = resolve({}, corpOnly, policy('no-example', {}, ['host', 'deny', ['*.example']]));
    expect(r.violations.map((v) => v.message)).toContain(
      'host: everything the allow list of policy corp-only (corp-only.xml:2) (*.corp.example) allows is denied by policy no-example (no-example.xml:2) (*.example)',
    );
  });

  it('refuses a mandatory host outside an allow list', () => {
    const r = resolve({}, corpOnly, policy('gw', {}, ['host', 'mandatory', 'gw.bank.example']));
    expect(r.violations.map((v) => v.message)).toContain(
      'host: the mandatory value gw.bank.example of policy gw (gw.xml:2) is not in the allow list of policy corp-only (corp-only.xml:2) (*.corp.example)',
    );
  });

  it('applies allow lists to the proxy host too', () => {
    const proxyOnly = policy('proxy', {}, ['proxy.host', 'allow', ['proxy.corp.example']]);
    expect(resolve({ proxy: { enabled: true, host: 'proxy.corp.example', port: 3129 } }, proxyOnly).decision).toBe(
      'allow',
    );
    expect(
      resolve({ proxy: { enabled: true, host: 'evil.example', port: 3129 } }, proxyOnly).violations.map((v) => v.path),
    ).toEqual(['proxy.host']);
  });
});

describe('resolveProfile: appliesTo', () => {
  const fipsFor = (options: PolicyOptions): Policy => policy('fips', options, ['tls.fipsMode', 'mandatory', 'true']);

  it('applies a policy whose profile glob matches', () => {
    expect(vss(resolve({ name: 'fips-gov' }, fipsFor({ profiles: ['fips-*'] })), 'tls.fipsMode')).toEqual([
      true,
      'policy',
      'applied',
    ]);
  });

  it('ignores a policy whose profile glob does not match', () => {
    const r = resolve({ name: 'payroll' }, fipsFor({ profiles: ['fips-*'] }));
    expect(vss(r, 'tls.fipsMode')).toEqual([false, 'default', 'default']);
    expect(r.policies).toEqual([]);
  });

  it('matches host globs', () => {
    expect(
      vss(resolve({ host: 'ftps.agency.example' }, fipsFor({ hosts: ['*.agency.example'] })), 'tls.fipsMode')[0],
    ).toBe(true);
    expect(
      vss(resolve({ host: 'ftp.corp.example' }, fipsFor({ hosts: ['*.agency.example'] })), 'tls.fipsMode')[0],
    ).toBe(false);
  });

  it('needs both lists to match when both are given', () => {
    const options = { profiles: ['gov-*'], hosts: ['*.agency.example'] };
    expect(vss(resolve({ name: 'gov-a', host: 'ftps.agency.example' }, fipsFor(options)), 'tls.fipsMode')[0]).toBe(
      true,
    );
    expect(vss(resolve({ name: 'gov-a', host: 'ftp.corp.example' }, fipsFor(options)), 'tls.fipsMode')[0]).toBe(false);
    expect(vss(resolve({ name: 'payroll', host: 'ftps.agency.example' }, fipsFor(options)), 'tls.fipsMode')[0]).toBe(
      false,
    );
  });

  it('needs any one glob of a list to match', () => {
    expect(
      vss(resolve({ name: 'treasury-x' }, fipsFor({ profiles: ['finance-*', 'treasury-*'] })), 'tls.fipsMode')[0],
    ).toBe(true);
  });

  it('lists the policies that applied, with their file hashes', () => {
    const p = fipsFor({});
    expect(resolve({}, p).policies).toEqual([
      { name: 'fips', file: 'fips.xml', sha256: p.sha256, scope: 'machine', priority: 100 },
    ]);
    expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('resolveProfile: invariants after merging', () => {
  it('allows validation off with a pin, and records a mandatory validation that overrides it', () => {
    const profile = { tls: { validateCertificateChain: false, pki: { pinnedSha256: [PIN] } } };
    expect(resolve(profile).decision).toBe('allow');
    const r = resolve(profile, policy('validate', {}, ['tls.validateCertificateChain', 'mandatory', 'true']));
    expect(vss(r, 'tls.validateCertificateChain')).toEqual([true, 'policy', 'overridden']);
    expect(r.decision).toBe('allow');
  });

  it('refuses mandatory FIPS mode with a profile that turned validation off', () => {
    const r = resolve(
      { tls: { validateCertificateChain: false, pki: { pinnedSha256: [PIN] } } },
      policy('fips', {}, ['tls.fipsMode', 'mandatory', 'true']),
    );
    expect(r.violations.map((v) => v.message)).toEqual([
      'tls.fipsMode is true (mandatory in policy fips, fips.xml:2) but tls.validateCertificateChain is false (profile): FIPS mode always validates the certificate chain; remove "validateCertificateChain": false',
    ]);
  });

  it('refuses mandatory FIPS mode with a profile that turned TLS off', () => {
    const r = resolve({ tls: { enabled: false } }, policy('fips', {}, ['tls.fipsMode', 'mandatory', 'true']));
    expect(r.violations.map((v) => v.path)).toEqual(['tls.enabled']);
  });

  it('refuses a validated-module requirement without FIPS mode', () => {
    const r = resolve({}, policy('module', {}, ['tls.requireValidatedCryptoModule', 'mandatory', 'true']));
    expect(r.violations.map((v) => v.message)).toEqual([
      'tls.requireValidatedCryptoModule is true (mandatory in policy module, module.xml:2) but tls.fipsMode is false (default): a validated crypto module is a FIPS-mode requirement; set tls.fipsMode to true',
    ]);
  });

  it('refuses a TLS floor above the profile maxVersion', () => {
    const r = resolve(
      { tls: { maxVersion: 'TLSv1.2' } },
      policy('floor13', {}, ['tls.minVersion', 'floor', 'TLSv1.3']),
    );
    expect(r.violations.map((v) => v.message)).toEqual([
      'tls.minVersion is "TLSv1.3" (floor in policy floor13, floor13.xml:2) but tls.maxVersion is "TLSv1.2" (profile): no TLS version is left to negotiate; raise tls.maxVersion or lower tls.minVersion',
    ]);
  });

  it('refuses a mandatory proxy for a profile that names no proxy', () => {
    const r = resolve({}, policy('proxy', {}, ['proxy.enabled', 'mandatory', 'true']));
    expect(r.violations.map((v) => v.message)).toEqual([
      "proxy.enabled is true (mandatory in policy proxy, proxy.xml:2) but proxy.host or proxy.port is not set: add the proxy's host and port to the profile",
    ]);
  });

  it('allows a mandatory proxy for a profile that names one', () => {
    const r = resolve(
      { proxy: { host: 'proxy.corp.example', port: 3129 } },
      policy('proxy', {}, ['proxy.enabled', 'mandatory', 'true']),
    );
    expect(vss(r, 'proxy.enabled')).toEqual([true, 'policy', 'applied']);
    expect(r.decision).toBe('allow');
  });

  it('refuses validation off by policy when no pin is configured', () => {
    const r = resolve({}, policy('lax', {}, ['tls.validateCertificateChain', 'mandatory', 'false']));
    expect(r.violations.map((v) => v.path)).toEqual(['tls.validateCertificateChain']);
  });
});

describe('resolveProfile: unusable policy files fail closed', () => {
  const broken = (appliesTo?: Policy['appliesTo']): PolicyFailure => ({
    file: 'broken.xml',
    problems: [
      {
        file: 'broken.xml',
        line: 4,
        column: 3,
        message: 'unknown setting path "tls.fipMode"; did you mean "tls.fipsMode"?',
      },
    ],
    ...(appliesTo ? { name: 'broken', appliesTo } : {}),
  });

  it('refuses every session when the file did not say whom it applies to', () => {
    const r = resolveProfile({ raw: base }, set([], [broken()]));
    expect(r.decision).toBe('refuse');
    expect(r.violations).toEqual([
      {
        path: '',
        file: 'broken.xml',
        line: 4,
        column: 3,
        unusablePolicy: true,
        message:
          'policy file broken.xml is unusable (broken.xml:4:3 unknown setting path "tls.fipMode"; did you mean "tls.fipsMode"?); sessions it could apply to are refused until it is fixed',
      },
    ]);
  });

  it('refuses the sessions it applies to', () => {
    expect(resolveProfile({ raw: base }, set([], [broken({ profiles: ['pay*'], hosts: [] })])).decision).toBe('refuse');
  });

  it('leaves other sessions alone', () => {
    expect(resolveProfile({ raw: base }, set([], [broken({ profiles: ['fips-*'], hosts: [] })])).decision).toBe(
      'allow',
    );
  });
});

describe('resolveProfile: purity', () => {
  it('gives the same result twice and does not touch its inputs', () => {
    const raw: SessionProfile = { ...base, tls: { minVersion: 'TLSv1.2' } };
    const frozen = JSON.stringify(raw);
    const policies = set([policy('floor13', {}, ['tls.minVersion', 'floor', 'TLSv1.3'])]);
    const first = resolveProfile({ raw }, policies);
    const second = resolveProfile({ raw }, policies);
    expect(second).toEqual(first);
    expect(JSON.stringify(raw)).toBe(frozen);
  });

  it('names the profile file when given', () => {
    expect(resolveProfile({ raw: base, file: 'p.json' }, set([])).profileFile).toBe('p.json');
  });
});
