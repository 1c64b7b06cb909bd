import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parsePolicyBytes, parsePolicyText } from './parse-policy';
import { firstInvalidUtf8 } from './policy-bytes';
import type { PolicyProblem } from './policy';

const FILE = '/etc/ftpsctl/policies/10-corp-baseline.xml';

/** A policy file written one line per argument, so each expected line number can be read off the test. */
function lines(...rows: string[]): string {
  return `${rows.join('\n')}\n`;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const ROOT = '<policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="machine" priority="100">';
const DESCRIPTION = '  <description>Baseline for all FTPS sessions.</description>';
const TLS_ENABLED = '  <setting path="tls.enabled" enforce="mandatory">true</setting>';
const TLS_FLOOR = '  <setting path="tls.minVersion" enforce="floor">TLSv1.2</setting>';

/** Columns of the root attributes in ROOT: xmlns 9, name 38, scope 59, priority 75. */
type BrokenPolicyCase = [title: string, text: string, line: number, column: number, message: string];

const brokenPolicies: BrokenPolicyCase[] = [
  [
    'empty file',
    '',
    1,
    1,
    'the file is empty; a policy starts with <policy xmlns="urn:ftpsctl:policy:1" name="..." scope="machine" priority="100">',
  ],
  [
    'only white space',
    '\n  \n\t\n',
    1,
    1,
    'the file is empty; a policy starts with <policy xmlns="urn:ftpsctl:policy:1" name="..." scope="machine" priority="100">',
  ],
  [
    'DOCTYPE declaring an internal entity',
    lines(
      DECLARATION,
      '<!DOCTYPE policy [',
      '  <!ENTITY corp "corp.example">',
      ']>',
      ROOT,
      DESCRIPTION,
      '  <setting path="host" enforce="allow"><value>*.&corp;</value></setting>',
      '</policy>',
    ),
    2,
    1,
    'a DOCTYPE is not allowed in a policy file (no DTDs, no entities); remove it',
  ],
  [
    'mismatched close tag',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="tls.enabled" enforce="mandatory">true</settings>',
      TLS_FLOOR,
      '</policy>',
    ),
    4,
    55,
    "not well-formed XML: Expected closing tag 'setting' (opened in line 4, col 3) instead of closing tag 'settings'.",
  ],
  [
    'unclosed attribute quote',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="tls.enabled enforce="mandatory">true</setting>',
      TLS_FLOOR,
      '</policy>',
    ),
    4,
    11,
    "not well-formed XML: Attributes for 'setting' have open quote.",
  ],
  [
    'root element never closed',
    lines(DECLARATION, ROOT, DESCRIPTION, TLS_ENABLED),
    2,
    1,
    "not well-formed XML: Unclosed tag 'policy'.",
  ],
  [
    'text after the root element',
    lines(DECLARATION, ROOT, DESCRIPTION, TLS_ENABLED, '</policy>', 'junk'),
    6,
    1,
    'not well-formed XML: Extra text at the end',
  ],
  [
    'unknown root element',
    lines(
      DECLARATION,
      '<policies xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="machine" priority="100">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policies>',
    ),
    2,
    1,
    'unknown root element <policies>; the root element must be <policy xmlns="urn:ftpsctl:policy:1">',
  ],
  [
    'wrong namespace',
    lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:2" name="corp-baseline" scope="machine" priority="100">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    9,
    'wrong namespace "urn:ftpsctl:policy:2"; use xmlns="urn:ftpsctl:policy:1"',
  ],
  [
    'missing xmlns',
    lines(
      DECLARATION,
      '<policy name="corp-baseline" scope="machine" priority="100">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    1,
    '<policy> needs the attribute xmlns="urn:ftpsctl:policy:1"',
  ],
  [
    'missing name',
    lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" scope="machine" priority="100">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    1,
    '<policy> needs the attribute name="..." (a unique policy name)',
  ],
  [
    'name with a space',
    lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp baseline" scope="machine" priority="100">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    38,
    "name=\"corp baseline\" must be 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit",
  ],
  [
    'missing scope',
    lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" priority="100">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    1,
    '<policy> needs the attribute scope="machine" or scope="user"',
  ],
  [
    'scope other than machine or user',
    lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="domain" priority="100">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    59,
    'scope="domain" must be one of machine, user',
  ],
  [
    'missing priority',
    lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="machine">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    1,
    '<policy> needs the attribute priority="N" (0 to 999999; higher wins within a scope)',
  ],
  [
    'priority not a number',
    lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="machine" priority="high">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    75,
    'priority="high" must be a whole number from 0 to 999999',
  ],
  [
    'priority too large',
    lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="machine" priority="1000000">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    75,
    'priority="1000000" must be a whole number from 0 to 999999',
  ],
  [
    'unknown attribute on <policy> (a misspelt leftover)',
    lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="machine" priority="100" prority="50">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    ),
    2,
    90,
    'unknown attribute "prority" on <policy>; did you mean "priority"?',
  ],
  [
    'unknown element in <policy>',
    lines(DECLARATION, ROOT, '  <descripton>Baseline for all FTPS sessions.</descripton>', TLS_ENABLED, '</policy>'),
    3,
    3,
    'unknown element <descripton> in <policy>; did you mean <description>?',
  ],
  [
    'unknown element in <setting>',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="host" enforce="allow"><valu>*.bank.example</valu></setting>',
      '</policy>',
    ),
    4,
    40,
    'unknown element <valu> in <setting>; did you mean <value>?',
  ],
  [
    'unknown element in <appliesTo>',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <appliesTo><hosts>*.bank.example</hosts></appliesTo>',
      TLS_ENABLED,
      '</policy>',
    ),
    4,
    14,
    'unknown element <hosts> in <appliesTo>; did you mean <host>?',
  ],
  [
    'unknown attribute on <setting> with no near match',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="tls.enabled" enforce="mandatory" value="true"/>',
      '</policy>',
    ),
    4,
    51,
    'unknown attribute "value" on <setting>; allowed: path, enforce',
  ],
  [
    'markup inside <description>',
    lines(
      DECLARATION,
      ROOT,
      '  <description>Baseline for <b>all</b> FTPS sessions.</description>',
      TLS_ENABLED,
      '</policy>',
    ),
    3,
    3,
    '<description> must contain only text',
  ],
  [
    '<setting> without attributes',
    lines(DECLARATION, ROOT, DESCRIPTION, '  <setting>true</setting>', TLS_FLOOR, '</policy>'),
    4,
    3,
    '<setting> needs the attributes path="..." and enforce="..."',
  ],
  [
    'empty self-closing <setting/>',
    lines(DECLARATION, ROOT, DESCRIPTION, '  <setting/>', TLS_FLOOR, '</policy>'),
    4,
    3,
    '<setting> needs the attributes path="..." and enforce="..."',
  ],
  [
    '<setting> without enforce',
    lines(DECLARATION, ROOT, DESCRIPTION, '  <setting path="tls.enabled">true</setting>', TLS_FLOOR, '</policy>'),
    4,
    3,
    '<setting> needs the attribute enforce="mandatory|recommended|floor|ceiling|allow|deny"',
  ],
  [
    'enforce that is no enforcement kind',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="tls.enabled" enforce="forced">true</setting>',
      TLS_FLOOR,
      '</policy>',
    ),
    4,
    31,
    'enforce="forced" must be one of mandatory, recommended, floor, ceiling, allow, deny',
  ],
  [
    'unknown setting path with a near match',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="tls.minVersoin" enforce="floor">TLSv1.2</setting>',
      '</policy>',
    ),
    5,
    12,
    'unknown setting path "tls.minVersoin"; did you mean "tls.minVersion"?',
  ],
  [
    'unknown setting path with no near match',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="compression.level" enforce="ceiling">9</setting>',
      '</policy>',
    ),
    5,
    12,
    'unknown setting path "compression.level"; see the settings reference in README.md for the paths a policy can manage',
  ],
  [
    'profile setting policies do not manage: name',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="name" enforce="mandatory">payroll</setting>',
      '</policy>',
    ),
    5,
    12,
    'name is a profile setting that policies do not manage; see "Policy can enforce" in the settings reference (README.md)',
  ],
  [
    'profile setting policies do not manage: password (tls.pki.clientCertificate is managed since issue 10)',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="password" enforce="mandatory">prompt</setting>',
      '</policy>',
    ),
    5,
    12,
    'password is a profile setting that policies do not manage; see "Policy can enforce" in the settings reference (README.md)',
  ],
  [
    'floor on a boolean',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="tls.validateCertificateChain" enforce="floor">true</setting>',
      TLS_FLOOR,
      '</policy>',
    ),
    4,
    48,
    'tls.validateCertificateChain does not accept enforce="floor"; it accepts mandatory, recommended',
  ],
  [
    'allow list on a boolean',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="tls.enabled" enforce="allow"><value>true</value></setting>',
      '</policy>',
    ),
    4,
    31,
    'tls.enabled does not accept enforce="allow"; it accepts mandatory, recommended',
  ],
  [
    'boolean written as "yes"',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="tls.encryptDataChannel" enforce="mandatory">yes</setting>',
      TLS_FLOOR,
      '</policy>',
    ),
    4,
    12,
    'tls.encryptDataChannel must be a boolean; got "yes"',
  ],
  [
    'enum value outside the enum (TLSv1.0)',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="tls.minVersion" enforce="floor">TLSv1.0</setting>',
      '</policy>',
    ),
    5,
    12,
    'tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"',
  ],
  [
    'integer below its range',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="network.connectTimeoutMs" enforce="ceiling">5</setting>',
      '</policy>',
    ),
    5,
    12,
    'network.connectTimeoutMs must be between 100 and 600000; got number 5',
  ],
  [
    'integer written with a unit',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="network.connectTimeoutMs" enforce="ceiling">30s</setting>',
      '</policy>',
    ),
    5,
    12,
    'network.connectTimeoutMs must be an integer; got "30s"',
  ],
  [
    'setting without a value',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="tls.enabled" enforce="mandatory"></setting>',
      TLS_FLOOR,
      '</policy>',
    ),
    4,
    12,
    'needs a value for tls.enabled',
  ],
  [
    'bad glob in <appliesTo><host>',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <appliesTo>',
      '    <profile>fips-*</profile>',
      '    <host>[a-z]*.agency.example</host>',
      '  </appliesTo>',
      TLS_ENABLED,
      '</policy>',
    ),
    6,
    5,
    '<host> glob "[a-z]*.agency.example" uses a character that is not a glob here: only "*" (any text) and "?" (one character) are wildcards',
  ],
  [
    'bad glob in <appliesTo><profile>',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <appliesTo>',
      '    <profile>fips *</profile>',
      '  </appliesTo>',
      TLS_ENABLED,
      '</policy>',
    ),
    5,
    5,
    '<profile> glob "fips *" contains white space',
  ],
  [
    'empty <appliesTo/>',
    lines(DECLARATION, ROOT, DESCRIPTION, '  <appliesTo/>', TLS_ENABLED, '</policy>'),
    4,
    3,
    '<appliesTo> lists nothing; add <profile> or <host> globs, or remove it to apply to every session',
  ],
  [
    'empty <appliesTo></appliesTo>',
    lines(DECLARATION, ROOT, DESCRIPTION, '  <appliesTo></appliesTo>', TLS_ENABLED, '</policy>'),
    4,
    3,
    '<appliesTo> lists nothing; add <profile> or <host> globs, or remove it to apply to every session',
  ],
  [
    'allow list written as text, with no <value>',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="host" enforce="allow">*.bank.example</setting>',
      '</policy>',
    ),
    5,
    24,
    'an allow list needs one or more <value> elements, e.g. <value>*.corp.example</value>',
  ],
  [
    'empty deny list',
    lines(DECLARATION, ROOT, DESCRIPTION, TLS_ENABLED, '  <setting path="host" enforce="deny"></setting>', '</policy>'),
    5,
    24,
    'a deny list needs one or more <value> elements, e.g. <value>*.corp.example</value>',
  ],
  [
    'allow list with a bad glob (the <value> is the place to fix)',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="host" enforce="allow">',
      '    <value>*.bank.example</value>',
      '    <value>ftps.bank.example/upload</value>',
      '  </setting>',
      '</policy>',
    ),
    7,
    5,
    'host allow glob "ftps.bank.example/upload" uses a character that is not a glob here: only "*" (any text) and "?" (one character) are wildcards',
  ],
  [
    'same setting with the same enforce twice',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      TLS_FLOOR,
      '  <setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>',
      '</policy>',
    ),
    6,
    3,
    'tls.minVersion has enforce="floor" twice in this policy (first at line 5); keep one',
  ],
  [
    'mandatory and recommended for the same setting',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="transfer.verify" enforce="mandatory">hash</setting>',
      '  <setting path="transfer.verify" enforce="recommended">size</setting>',
      '</policy>',
    ),
    6,
    3,
    'transfer.verify is both mandatory (line 5) and recommended in this policy; keep one',
  ],
  [
    'text and <value> in one setting',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="tls.minVersion" enforce="floor">TLSv1.2<value>TLSv1.3</value></setting>',
      '</policy>',
    ),
    5,
    12,
    '<setting path="tls.minVersion"> has both text and <value> elements; use one form',
  ],
  [
    'two <value> for a scalar setting',
    lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="tls.minVersion" enforce="floor"><value>TLSv1.2</value><value>TLSv1.3</value></setting>',
      '</policy>',
    ),
    5,
    12,
    'tls.minVersion takes one value; got 2 <value> elements',
  ],
  [
    'unknown entity &nbsp;',
    lines(
      DECLARATION,
      ROOT,
      '  <description>Baseline&nbsp;for all FTPS sessions.</description>',
      TLS_ENABLED,
      '</policy>',
    ),
    3,
    24,
    'unknown entity &nbsp; (policy files have no entities): write the character itself, or &amp; &lt; &gt; &quot; &apos;',
  ],
];

describe('parsePolicyText: broken policy files', () => {
  it.each(brokenPolicies)('%s', (_title, text, line, column, message) => {
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.problems).toEqual<PolicyProblem[]>([{ file: FILE, line, column, message }]);
    expect(parsed.policy).toBeUndefined();
  });

  it('reports a misspelt required attribute as missing and suggests the spelling', () => {
    const text = lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="machine" priorty="100">',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    );
    expect(parsePolicyText(text, FILE).problems).toEqual<PolicyProblem[]>([
      {
        file: FILE,
        line: 2,
        column: 1,
        message: '<policy> needs the attribute priority="N" (0 to 999999; higher wins within a scope)',
      },
      { file: FILE, line: 2, column: 75, message: 'unknown attribute "priorty" on <policy>; did you mean "priority"?' },
    ]);
  });

  it('reports every broken setting of a file, in line order', () => {
    const text = lines(
      DECLARATION,
      ROOT,
      '  <setting path="tls.fipMode" enforce="mandatory">true</setting>',
      TLS_ENABLED,
      '  <setting path="transfer.parallel" enforce="floor">4</setting>',
      '</policy>',
    );
    expect(parsePolicyText(text, FILE).problems).toEqual<PolicyProblem[]>([
      { file: FILE, line: 3, column: 12, message: 'unknown setting path "tls.fipMode"; did you mean "tls.fipsMode"?' },
      {
        file: FILE,
        line: 5,
        column: 37,
        message: 'transfer.parallel does not accept enforce="floor"; it accepts mandatory, recommended, ceiling',
      },
    ]);
  });

  it('gives the same positions with CRLF line ends', () => {
    const schemaError = lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      TLS_ENABLED,
      '  <setting path="tls.minVersion" enforce="floor">TLSv1.0</setting>',
      '</policy>',
    ).replace(/\n/g, '\r\n');
    expect(parsePolicyText(schemaError, FILE).problems).toEqual<PolicyProblem[]>([
      { file: FILE, line: 5, column: 12, message: 'tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"' },
    ]);
    const notWellFormed = lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <setting path="tls.enabled" enforce="mandatory">true</settings>',
      '</policy>',
    ).replace(/\n/g, '\r\n');
    expect(parsePolicyText(notWellFormed, FILE).problems).toEqual<PolicyProblem[]>([
      {
        file: FILE,
        line: 4,
        column: 55,
        message:
          "not well-formed XML: Expected closing tag 'setting' (opened in line 4, col 3) instead of closing tag 'settings'.",
      },
    ]);
    const unknownEntity = lines(
      DECLARATION,
      ROOT,
      '  <description>Baseline&nbsp;for all</description>',
      '</policy>',
    ).replace(/\n/g, '\r\n');
    expect(parsePolicyText(unknownEntity, FILE).problems).toEqual<PolicyProblem[]>([
      {
        file: FILE,
        line: 3,
        column: 24,
        message:
          'unknown entity &nbsp; (policy files have no entities): write the character itself, or &amp; &lt; &gt; &quot; &apos;',
      },
    ]);
  });

  it('keeps positions right after comments (with tags inside) and CDATA sections', () => {
    const text = lines(
      DECLARATION,
      ROOT,
      '  <!-- retired: <setting path="tls.fipsMode" enforce="mandatory">true</setting>',
      '       kept for the audit trail -->',
      '  <description><![CDATA[Baseline <all> sessions',
      '    & every host]]></description>',
      TLS_ENABLED,
      '  <setting path="tls.minVersion" enforce="floor">TLSv1.0</setting>',
      '</policy>',
    );
    expect(parsePolicyText(text, FILE).problems).toEqual<PolicyProblem[]>([
      { file: FILE, line: 8, column: 12, message: 'tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"' },
    ]);
  });
});

describe('parsePolicyText: what a broken file still says about itself', () => {
  it('keeps name and appliesTo when only a setting is bad, so it fails closed on just the sessions it covers', () => {
    const text = lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <appliesTo>',
      '    <profile>finance-*</profile>',
      '    <host>*.bank.example</host>',
      '  </appliesTo>',
      '  <setting path="tls.fipMode" enforce="mandatory">true</setting>',
      '</policy>',
    );
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.policy).toBeUndefined();
    expect(parsed.problems).toEqual<PolicyProblem[]>([
      { file: FILE, line: 8, column: 12, message: 'unknown setting path "tls.fipMode"; did you mean "tls.fipsMode"?' },
    ]);
    expect(parsed.name).toBe('corp-baseline');
    expect(parsed.appliesTo).toEqual({ profiles: ['finance-*'], hosts: ['*.bank.example'] });
  });

  it('keeps name and an empty appliesTo (every session) when the document shape is wrong elsewhere', () => {
    const parsed = parsePolicyText(
      lines(DECLARATION, ROOT, '  <descripton>Baseline</descripton>', TLS_ENABLED, '</policy>'),
      FILE,
    );
    expect(parsed.name).toBe('corp-baseline');
    expect(parsed.appliesTo).toEqual({ profiles: [], hosts: [] });
  });

  it('drops a malformed name but keeps appliesTo', () => {
    const text = lines(
      DECLARATION,
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp baseline" scope="machine" priority="100">',
      '  <appliesTo><host>*.bank.example</host></appliesTo>',
      TLS_ENABLED,
      '</policy>',
    );
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.name).toBeUndefined();
    expect(parsed.appliesTo).toEqual({ profiles: [], hosts: ['*.bank.example'] });
  });

  it('reports no appliesTo when one of its globs is bad, so the failure refuses every session', () => {
    // A glob that is not valid matches nothing; keeping it would make the failure refuse no session at all.
    const text = lines(
      DECLARATION,
      ROOT,
      DESCRIPTION,
      '  <appliesTo>',
      '    <profile>fips-*</profile>',
      '    <host>[a-z]*.agency.example</host>',
      '  </appliesTo>',
      TLS_ENABLED,
      '</policy>',
    );
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.problems).toHaveLength(1);
    expect(parsed.name).toBe('corp-baseline');
    expect(parsed.appliesTo).toBeUndefined();
  });

  it.each([
    ['empty file', ''],
    ['DOCTYPE', lines(DECLARATION, '<!DOCTYPE policy>', ROOT, TLS_ENABLED, '</policy>')],
    [
      'not well-formed',
      lines(DECLARATION, ROOT, '  <setting path="tls.enabled" enforce="mandatory">true</settings>', '</policy>'),
    ],
    [
      'unknown root element',
      lines(
        DECLARATION,
        '<Policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="machine" priority="100">',
        TLS_ENABLED,
        '</Policy>',
      ),
    ],
  ])('has neither name nor appliesTo when the root is broken: %s', (_title, text) => {
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.problems).not.toEqual([]);
    expect(parsed.name).toBeUndefined();
    expect(parsed.appliesTo).toBeUndefined();
  });
});

describe('parsePolicyText: valid policy files', () => {
  const policiesDir = path.join(__dirname, '..', '..', 'policies');
  const parseExample = (name: string): ReturnType<typeof parsePolicyText> =>
    parsePolicyText(readFileSync(path.join(policiesDir, name), 'utf8'), `policies/${name}`);

  it.each(['10-corp-baseline.xml', '20-fips.xml', '30-finance.xml', '90-user-defaults.xml'])(
    'parses policies/%s with no problems',
    (name) => {
      const parsed = parseExample(name);
      expect(parsed.problems).toEqual([]);
      expect(parsed.policy?.file).toBe(`policies/${name}`);
      expect(parsed.name).toBe(parsed.policy?.name);
    },
  );

  it('reads the attributes of <policy> and where its name is', () => {
    const policy = parseExample('20-fips.xml').policy;
    const nameColumn =
      readFileSync(path.join(__dirname, '../../policies/20-fips.xml'), 'utf8').split('\n')[2].indexOf(' name="fips"') +
      2;
    expect(policy).toMatchObject({
      name: 'fips',
      scope: 'machine',
      priority: 200,
      line: 3,
      column: nameColumn,
      description: 'FIPS 140 mode with TLS 1.3 for government exchanges.',
    });
    expect(policy?.appliesTo).toEqual({ profiles: [], hosts: ['*.agency.example'] });
  });

  it('types values: booleans, numbers (128 for tls.encryptionStrength), enum strings', () => {
    const fips = parseExample('20-fips.xml').policy;
    expect(fips?.settings).toEqual([
      { path: 'tls.fipsMode', enforce: 'mandatory', value: true, line: 8, column: 3 },
      { path: 'tls.minVersion', enforce: 'floor', value: 'TLSv1.3', line: 9, column: 3 },
      { path: 'tls.encryptionStrength', enforce: 'floor', value: 128, line: 10, column: 3 },
      { path: 'tls.pki.revocation', enforce: 'floor', value: 'crl', line: 11, column: 3 },
      { path: 'transfer.verify', enforce: 'mandatory', value: 'hash', line: 12, column: 3 },
    ]);
    const baseline = parseExample('10-corp-baseline.xml').policy;
    expect(baseline?.settings.find((s) => s.path === 'tls.clearCommandChannel')?.value).toBe(false);
    expect(baseline?.settings.find((s) => s.path === 'network.connectTimeoutMs')?.value).toBe(30000);
  });

  it('reads allow and deny lists as arrays of globs', () => {
    const finance = parseExample('30-finance.xml').policy;
    expect(finance?.settings.filter((s) => s.enforce === 'allow')).toEqual([
      { path: 'proxy.host', enforce: 'allow', globs: ['proxy.corp.example'], line: 12, column: 3 },
    ]);
    expect(parseExample('90-user-defaults.xml').policy?.settings.find((s) => s.enforce === 'deny')).toEqual({
      path: 'host',
      enforce: 'deny',
      globs: ['*.example.net'],
      line: 9,
      column: 3,
    });
  });

  it('keeps "default" for tls.encryptionStrength a string', () => {
    const policy = parsePolicyText(
      lines(
        DECLARATION,
        ROOT,
        '  <setting path="tls.encryptionStrength" enforce="ceiling">default</setting>',
        '</policy>',
      ),
      FILE,
    ).policy;
    expect(policy?.settings).toEqual([
      { path: 'tls.encryptionStrength', enforce: 'ceiling', value: 'default', line: 3, column: 3 },
    ]);
  });

  it('reads a list setting from several <value> elements', () => {
    const pin = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
    const policy = parsePolicyText(
      lines(
        DECLARATION,
        ROOT,
        `  <setting path="tls.pki.pinnedSha256" enforce="mandatory"><value>${pin}</value></setting>`,
        '</policy>',
      ),
      FILE,
    ).policy;
    expect(policy?.settings).toEqual([
      { path: 'tls.pki.pinnedSha256', enforce: 'mandatory', value: [pin], line: 3, column: 3 },
    ]);
  });

  it('decodes the predefined entities and character references in text', () => {
    const text = lines(
      DECLARATION,
      ROOT,
      '  <description>Audit &amp; compliance &#8212; R&amp;D &lt;team&gt; &#x27;ops&#x27;</description>',
      TLS_ENABLED,
      '</policy>',
    );
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.problems).toEqual([]);
    expect(parsed.policy?.description).toBe("Audit & compliance \u2014 R&D <team> 'ops'");
  });

  it('trims the white space around values', () => {
    const policy = parsePolicyText(
      lines(
        DECLARATION,
        ROOT,
        '  <setting path="tls.minVersion" enforce="floor">',
        '    TLSv1.3',
        '  </setting>',
        '</policy>',
      ),
      FILE,
    ).policy;
    expect(policy?.settings).toEqual([
      { path: 'tls.minVersion', enforce: 'floor', value: 'TLSv1.3', line: 3, column: 3 },
    ]);
  });

  it('accepts a UTF-8 byte order mark without shifting positions', () => {
    const parsed = parsePolicyText(`\uFEFF${lines(DECLARATION, ROOT, DESCRIPTION, TLS_ENABLED, '</policy>')}`, FILE);
    expect(parsed.problems).toEqual([]);
    expect(parsed.policy).toMatchObject({
      name: 'corp-baseline',
      line: 2,
      column: 38,
      settings: [{ path: 'tls.enabled', enforce: 'mandatory', value: true, line: 4, column: 3 }],
    });
  });

  it('accepts a file without an XML declaration', () => {
    const parsed = parsePolicyText(lines(ROOT, TLS_ENABLED, '</policy>'), FILE);
    expect(parsed.problems).toEqual([]);
    expect(parsed.policy?.settings).toEqual([
      { path: 'tls.enabled', enforce: 'mandatory', value: true, line: 2, column: 3 },
    ]);
  });

  it('accepts a policy with no settings', () => {
    expect(parsePolicyText(lines(DECLARATION, ROOT, DESCRIPTION, '</policy>'), FILE).policy).toMatchObject({
      name: 'corp-baseline',
      settings: [],
      appliesTo: { profiles: [], hosts: [] },
    });
  });

  it('accepts the same setting as a floor and a ceiling', () => {
    const text = lines(
      DECLARATION,
      ROOT,
      '  <setting path="network.connectTimeoutMs" enforce="floor">1000</setting>',
      '  <setting path="network.connectTimeoutMs" enforce="ceiling">30000</setting>',
      '</policy>',
    );
    expect(parsePolicyText(text, FILE).policy?.settings.map((s) => [s.enforce, s.value])).toEqual([
      ['floor', 1000],
      ['ceiling', 30000],
    ]);
  });

  it('does not take an entity-like text in a comment for an entity', () => {
    const text = lines(
      DECLARATION,
      ROOT,
      '  <!-- do not write &nbsp; here: policy files have no entities -->',
      DESCRIPTION,
      TLS_ENABLED,
      '</policy>',
    );
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.problems).toEqual([]);
    expect(parsed.policy?.name).toBe('corp-baseline');
  });

  it('takes the text of a CDATA section literally: "&amp;" in CDATA is five characters', () => {
    const text = lines(
      DECLARATION,
      ROOT,
      '  <description><![CDATA[Write R&amp;D in <html> pages]]></description>',
      TLS_ENABLED,
      '</policy>',
    );
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.problems).toEqual([]);
    expect(parsed.policy?.description).toBe('Write R&amp;D in <html> pages');
  });

  it('gives the SHA-256 of the text', () => {
    const text = lines(DECLARATION, ROOT, TLS_ENABLED, '</policy>');
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(parsed.policy?.sha256).toBe(parsed.sha256);
    expect(parsePolicyText('', FILE).sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('uses the sha256 it is given (the hash of the file bytes)', () => {
    expect(parsePolicyText(lines(ROOT, '</policy>'), FILE, 'f'.repeat(64)).policy?.sha256).toBe('f'.repeat(64));
  });
});

describe('hostile policy files (issue 12)', () => {
  const VALID = lines(DECLARATION, ROOT, TLS_ENABLED, '</policy>');
  const only = (parsed: { problems: PolicyProblem[] }): PolicyProblem => {
    expect(parsed.problems).toHaveLength(1);
    return parsed.problems[0];
  };

  describe('encodings: policy files are UTF-8', () => {
    const utf16le = (text: string): Buffer => Buffer.from(text, 'utf16le');
    const utf16be = (text: string): Buffer => {
      const le = utf16le(text);
      for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
      return le;
    };
    const utf32le = (text: string): Buffer =>
      Buffer.concat(
        [...text].map((ch) => {
          const b = Buffer.alloc(4);
          b.writeUInt32LE(ch.codePointAt(0) ?? 0);
          return b;
        }),
      );
    it.each([
      ['UTF-16 little-endian (byte order mark FF FE)', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16le(VALID)])],
      ['UTF-16 big-endian (byte order mark FE FF)', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(VALID)])],
      ['UTF-16 little-endian (no byte order mark)', utf16le(VALID)],
      ['UTF-16 big-endian (no byte order mark)', utf16be(VALID)],
      [
        'UTF-32 little-endian (byte order mark FF FE 00 00)',
        Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), utf32le(VALID)]),
      ],
      ['UTF-32 little-endian (no byte order mark)', utf32le(VALID)],
    ])('a %s file gets one problem: "save it as UTF-8"', (name, bytes) => {
      const problem = only(parsePolicyBytes(bytes, FILE));
      expect(problem).toMatchObject({ file: FILE, line: 1, column: 1 });
      expect(problem.message).toBe(
        `is encoded as ${name}, not UTF-8; policy files are UTF-8: save it as UTF-8 (Notepad: Save As, Encoding "UTF-8"; iconv -f UTF-16 -t UTF-8 FILE)`,
      );
    });

    it('accepts UTF-8 with and without a BOM, and hashes the bytes as read', () => {
      const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(VALID)]);
      const parsed = parsePolicyBytes(withBom, FILE);
      expect(parsed.problems).toEqual([]);
      expect(parsed.sha256).toBe(createHash('sha256').update(withBom).digest('hex'));
      expect(parsePolicyBytes(Buffer.from(VALID), FILE).policy?.name).toBe('corp-baseline');
    });

    it('names the line of the first byte that is not UTF-8 (a Latin-1 "é" in a description)', () => {
      const bytes = Buffer.concat([
        Buffer.from(`${DECLARATION}\n${ROOT}\n  <description>Caf`),
        Buffer.from([0xe9]),
        Buffer.from('</description>\n</policy>\n'),
      ]);
      const problem = only(parsePolicyBytes(bytes, FILE));
      expect(problem).toMatchObject({ line: 3, column: 19 });
      expect(problem.message).toMatch(
        /^is not valid UTF-8 \(byte 0xe9 at byte offset \d+\); policy files are UTF-8: save it as UTF-8/,
      );
    });

    it('finds overlong forms, surrogates and truncated sequences as invalid UTF-8', () => {
      expect(firstInvalidUtf8(Buffer.from('abc'))).toBe(-1);
      expect(firstInvalidUtf8(Buffer.from('é€😀'))).toBe(-1);
      expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
      expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a UTF-16 surrogate
      expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2); // cut short
      expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    });

    it('text with NUL characters (UTF-16 read as UTF-8 somewhere upstream) gets the same hint, with a line', () => {
      const problem = only(parsePolicyText(`<\u0000p\u0000o\u0000`, FILE));
      expect(problem).toMatchObject({ line: 1, column: 2 });
      expect(problem.message).toContain(
        'probably UTF-16 or UTF-32, not UTF-8; policy files are UTF-8: save it as UTF-8',
      );
    });
  });

  describe('names JavaScript reserves (__proto__, constructor, prototype) are problems with a line, never a crash', () => {
    it.each(['__proto__', 'constructor', 'prototype'])('an element <%s>', (name) => {
      const problem = only(
        parsePolicyText(lines(DECLARATION, ROOT, `  <${name}>x</${name}>`, TLS_ENABLED, '</policy>'), FILE),
      );
      expect(problem).toEqual({
        file: FILE,
        line: 3,
        column: 3,
        message: `unknown element <${name}>; a policy has only <policy>, <description>, <appliesTo>, <profile>, <host>, <setting> and <value>: remove it`,
      });
    });

    it.each(['__proto__', 'constructor', 'prototype'])(
      'an element <%s> deep in a setting, and one with a prefix',
      (name) => {
        const parsed = parsePolicyText(
          lines(
            DECLARATION,
            ROOT,
            `  <setting path="host" enforce="allow"><value>a</value><${name}/></setting>`,
            `  <x:${name} xmlns:x="urn:x"/>`,
            '</policy>',
          ),
          FILE,
        );
        expect(parsed.problems.map((p) => [p.line, p.column])).toEqual([
          [3, 56],
          [4, 3],
        ]);
      },
    );

    it.each(['__proto__', 'constructor', 'prototype'])('an attribute %s="x"', (name) => {
      const problem = only(
        parsePolicyText(
          lines(
            DECLARATION,
            ROOT,
            `  <setting path="tls.enabled" ${name}="x" enforce="mandatory">true</setting>`,
            '</policy>',
          ),
          FILE,
        ),
      );
      expect(problem).toMatchObject({ line: 3, column: 31 });
      expect(problem.message).toContain(`"${name}"`);
    });

    it.each(['hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'])(
      'an element <%s> is an unknown element with its line',
      (name) => {
        const parsed = parsePolicyText(
          lines(DECLARATION, ROOT, `  <${name}>x</${name}>`, TLS_ENABLED, '</policy>'),
          FILE,
        );
        expect(parsed.policy).toBeUndefined();
        expect(parsed.problems.length).toBeGreaterThan(0);
        for (const problem of parsed.problems) expect(problem.line).not.toBeNull();
      },
    );

    it('a setting path "__proto__" or "constructor" is an unknown setting path', () => {
      for (const name of ['__proto__', 'constructor', 'toString']) {
        const problem = only(
          parsePolicyText(
            lines(DECLARATION, ROOT, `  <setting path="${name}" enforce="mandatory">x</setting>`, '</policy>'),
            FILE,
          ),
        );
        expect(problem.message).toContain(`unknown setting path "${name}"`);
      }
    });
  });

  describe('deep nesting stops at 32 levels, before any other work', () => {
    const nested = (depth: number, name = 'b'): string => `${`<${name}>`.repeat(depth)}x${`</${name}>`.repeat(depth)}`;
    it.each([
      ['in <description>', (inner: string) => `  <description>${inner}</description>`],
      ['in a <setting>', (inner: string) => `  <setting path="host" enforce="allow">${inner}</setting>`],
      ['at the top level', (inner: string) => `  ${inner}`],
    ])('100,000 nested elements %s: one problem at the first element too deep', (_where, wrap) => {
      const text = lines(DECLARATION, ROOT, wrap(nested(100_000)), '</policy>');
      const problem = only(parsePolicyText(text, FILE));
      expect(problem.line).toBe(3);
      expect(problem.message).toBe(
        'elements are nested more than 32 levels deep here; a policy is at most 3 levels deep (<policy>, <setting>, <value>): remove the nested markup',
      );
      // the element at depth 33 starts 3 characters per level into the line, after the wrapper
      const offset = text.split('\n')[2].indexOf('<b>') + 1;
      expect(problem.column).toBe(
        offset + 3 * (32 - (wrap('').includes('<description>') || wrap('').includes('<setting') ? 2 : 1)),
      );
    });

    it('self-closing and closed elements do not count towards the depth; unclosed ones do, once', () => {
      const siblings = lines(
        DECLARATION,
        ROOT,
        `  <description>${'<b/>'.repeat(50_000)}${'<c></c>'.repeat(50_000)}</description>`,
        '</policy>',
      );
      expect(parsePolicyText(siblings, FILE).problems.map((p) => p.message)).toEqual([
        '<description> must contain only text',
      ]);
      const unclosed = lines(DECLARATION, ROOT, `  <description>${'<b>'.repeat(40)}`, '</policy>');
      expect(only(parsePolicyText(unclosed, FILE)).message).toMatch(/^elements are nested more than 32 levels/);
    });

    it('nesting inside a comment or CDATA is text, not elements', () => {
      const text = lines(
        DECLARATION,
        ROOT,
        `  <!-- ${'<b>'.repeat(1000)} -->`,
        `  <description><![CDATA[${'<b>'.repeat(1000)}]]></description>`,
        TLS_ENABLED,
        '</policy>',
      );
      expect(parsePolicyText(text, FILE).problems).toEqual([]);
    });
  });

  it('19,000 settings: the first 100 problems each at its own line, then a count (the position index, not a scan per setting)', () => {
    const rows = Array.from(
      { length: 19_000 },
      (_, i) => `  <setting path="${i % 2 ? 'tls.enabled' : `no.such.${i}`}" enforce="mandatory">true</setting>`,
    );
    const parsed = parsePolicyText(lines(DECLARATION, ROOT, ...rows, '</policy>'), FILE);
    expect(parsed.problems).toHaveLength(101);
    expect(parsed.problems[0]).toMatchObject({
      line: 3,
      column: 12,
      message: expect.stringContaining('unknown setting path "no.such.0"'),
    });
    expect(parsed.problems[99]).toMatchObject({ line: 103, column: 12 }); // line 4 is the first tls.enabled: no problem
    expect(parsed.problems[100]).toEqual({
      file: FILE,
      line: 1,
      column: 1,
      message: '18899 more problems not listed (at most 100 are); fix these and run again',
    });
    // duplicates name the first occurrence
    expect(parsed.problems[2]).toMatchObject({ line: 6, message: expect.stringContaining('(first at line 4)') });
  });

  it('lists the first 20 unknown entities and counts the rest', () => {
    const text = lines(DECLARATION, ROOT, `  <description>${'&nbsp;'.repeat(100_000)}</description>`, '</policy>');
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.problems).toHaveLength(21);
    expect(parsed.problems[0]).toMatchObject({ line: 3, column: 16 });
    expect(parsed.problems[19]).toMatchObject({ line: 3, column: 16 + 19 * 6 });
    expect(parsed.problems[20]).toMatchObject({
      line: 1,
      column: 1,
      message: '99980 more unknown entities not listed',
    });
  });

  it('a start tag of 1 MiB with no "=" (no backtracking in the attribute scan)', () => {
    const text = lines(DECLARATION, ROOT, `  <setting ${'a'.repeat(1024 * 1024)}>true</setting>`, '</policy>');
    const parsed = parsePolicyText(text, FILE);
    expect(parsed.policy).toBeUndefined();
    expect(parsed.problems[0].line).toBe(3);
  });
});
