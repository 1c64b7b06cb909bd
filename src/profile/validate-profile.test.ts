import { validateProfileText } from './validate-profile';
import type { ProfileProblem } from './profile-problems';

const base = { name: 'payroll', host: 'ftp.example.com', user: 'alice', password: { env: 'PAYROLL_PW' } };

/** The profile's text, pretty-printed like a person would write it. */
function text(profile: unknown): string {
  return JSON.stringify(profile, null, 2);
}

function problemsOf(source: string): Array<Pick<ProfileProblem, 'pointer' | 'message'>> {
  const result = validateProfileText(source);
  if (result.valid) throw new Error('expected the profile to be invalid');
  return result.problems.map(({ pointer, message }) => ({ pointer, message }));
}

const NO_PIN =
  "tls.validateCertificateChain is false but no pin is set: a host whose certificate is not validated must be authenticated by a pin. Add the server certificate's SHA-256 fingerprint to tls.pki.pinnedSha256 or its public key pin (sha256//BASE64, as curl --pinnedpubkey takes) to tls.pki.pinnedPublicKeySha256, or set tls.validateCertificateChain to true";
/** A curl --pinnedpubkey value (sha256// + base64 of 32 bytes). */
const KEY_PIN = 'sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=';

const FINGERPRINT = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

type Case = [title: string, source: string, pointer: string, message: string];

const cases: Case[] = [
  [
    'empty file',
    '',
    '',
    'invalid JSON: the file is empty; a profile is a JSON object such as {"name": "...", "host": "..."}',
  ],
  [
    'whitespace only',
    '  \n ',
    '',
    'invalid JSON: the file is empty; a profile is a JSON object such as {"name": "...", "host": "..."}',
  ],
  [
    'byte order mark',
    `\uFEFF${text(base)}`,
    '',
    'the file starts with a byte order mark (BOM); save it as UTF-8 without BOM',
  ],
  ['trailing comma', '{"name": "a", "host": "h",}', '', 'invalid JSON: trailing comma before "}"; remove the last ","'],
  [
    'single quotes',
    "{'name': 'a'}",
    '',
    'invalid JSON: expected a key in double quotes, found single quote (JSON strings use double quotes)',
  ],
  [
    'unquoted value',
    '{"name": payroll}',
    '',
    'invalid JSON: unexpected word "payroll"; strings need double quotes ("payroll")',
  ],
  [
    'comment',
    '{\n  // the payroll server\n  "name": "a"\n}',
    '',
    'invalid JSON: comments are not allowed in JSON; remove it, or put the note in the profile\'s top-level "description" string',
  ],
  [
    'missing comma',
    '{"name": "a"\n "host": "h"}',
    '',
    'invalid JSON: expected "," or "}" after the value of "name", found character "\\""',
  ],
  ['unterminated string', '{"name": "a}', '', 'invalid JSON: unterminated string: add the closing double quote'],
  [
    'text after the object',
    `${text(base)}\n}`,
    '',
    'invalid JSON: unexpected character "}" after the end of the JSON value; remove it',
  ],
  ['not an object', '["payroll"]', '', 'the profile must be an object; got an array'],
  [
    'duplicate key',
    '{"name": "a", "host": "h", "name": "b"}',
    '/name',
    'duplicate key "name" (first at line 1, column 2); keep only one',
  ],
  [
    'missing host',
    text({ name: 'a' }),
    '/host',
    'missing required key "host": The FTP server to connect to: a DNS name or an IPv4/IPv6 address',
  ],
  [
    'unknown top-level key with a near match',
    text({ ...base, hots: 'x' }),
    '/hots',
    'unknown key "hots" at the top level; did you mean "host"?',
  ],
  [
    'unknown tls key with a near match',
    text({ ...base, tls: { fipMode: true } }),
    '/tls/fipMode',
    'unknown key "fipMode" in tls; did you mean "fipsMode"?',
  ],
  [
    'unknown key without a near match',
    text({ ...base, network: { bandwidth: 5 } }),
    '/network/bandwidth',
    'unknown key "bandwidth" in network; allowed keys: nat, connectTimeoutMs, idleTimeoutMs, passiveMode, encoding',
  ],
  [
    'TLS 1.0',
    text({ ...base, tls: { minVersion: 'TLSv1.0' } }),
    '/tls/minVersion',
    'tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"',
  ],
  [
    'encryption strength out of range',
    text({ ...base, tls: { encryptionStrength: 40 } }),
    '/tls/encryptionStrength',
    'tls.encryptionStrength must be one of "default", 128, 256; got number 40',
  ],
  [
    'boolean as string',
    text({ ...base, tls: { enabled: 'yes' } }),
    '/tls/enabled',
    'tls.enabled must be a boolean; got "yes"',
  ],
  ['port as string', text({ ...base, port: '21' }), '/port', 'port must be an integer; got "21"'],
  ['port out of range', text({ ...base, port: 70000 }), '/port', 'port must be between 1 and 65535; got number 70000'],
  [
    'fractional timeout',
    text({ ...base, network: { connectTimeoutMs: 1500.5 } }),
    '/network/connectTimeoutMs',
    'network.connectTimeoutMs must be an integer; got number 1500.5',
  ],
  [
    'host with a scheme',
    text({ ...base, host: 'ftp://ftp.example.com' }),
    '/host',
    "host must be a DNS name (letters, digits and '-', labels separated by '.') or an IPv4 or IPv6 address (RFC 4291 text form, without brackets), without scheme, port or path: the port goes in its own setting; got \"ftp://ftp.example.com\"",
  ],
  [
    'bad profile name',
    text({ ...base, name: 'pay roll' }),
    '/name',
    "name must be 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit; got \"pay roll\"",
  ],
  ['empty user', text({ ...base, user: '' }), '/user', 'user must not be empty'],
  [
    'plaintext password',
    text({ ...base, password: 'hunter2' }),
    '/password',
    'password: a secret must not be written in the profile: use {"env": "VARIABLE"}, {"file": "path"} or "prompt"',
  ],
  [
    'password as an empty object',
    text({ ...base, password: {} }),
    '/password',
    'password: a secret must not be written in the profile: use {"env": "VARIABLE"}, {"file": "path"} or "prompt"',
  ],
  [
    'bad environment variable name',
    text({ ...base, password: { env: 'PAYROLL-PW' } }),
    '/password/env',
    'password.env must be an environment variable name: letters, digits and \'_\', not starting with a digit; got "PAYROLL-PW"',
  ],
  [
    'password source with an extra key',
    text({ ...base, password: { env: 'PW', value: 'x' } }),
    '/password/value',
    'unknown key "value" in password; allowed keys: env',
  ],
  [
    'validation off without pins',
    text({ ...base, tls: { validateCertificateChain: false } }),
    '/tls/validateCertificateChain',
    NO_PIN,
  ],
  [
    'validation off with an empty pin list',
    text({ ...base, tls: { validateCertificateChain: false, pki: { pinnedSha256: [] } } }),
    '/tls/validateCertificateChain',
    NO_PIN,
  ],
  [
    'FIPS without TLS',
    text({ ...base, tls: { enabled: false, fipsMode: true } }),
    '/tls/enabled',
    'tls.fipsMode is true but tls.enabled is false: FIPS mode protects the session with TLS. Set tls.enabled to true, or tls.fipsMode to false',
  ],
  [
    'min above max',
    text({ ...base, tls: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' } }),
    '/tls/maxVersion',
    'tls.minVersion is TLSv1.3 but tls.maxVersion is TLSv1.2: no TLS version is left to negotiate. Raise tls.maxVersion to TLSv1.3 or lower tls.minVersion to TLSv1.2',
  ],
  [
    'client certificate without key',
    text({ ...base, tls: { pki: { clientCertificate: { certFile: 'c.pem' } } } }),
    '/tls/pki/clientCertificate/keyFile',
    'missing required key "keyFile" in tls.pki.clientCertificate: PEM file of the client certificate\'s private key',
  ],
  [
    'CRL revocation without CRL files',
    text({ ...base, tls: { pki: { revocation: 'crl' } } }),
    '/tls/pki/revocation',
    'tls.pki.revocation is "crl" but tls.pki.crlFiles is missing: revocation checking needs at least one CRL file. Add tls.pki.crlFiles, or set tls.pki.revocation to "none"',
  ],
  [
    'empty CRL file list',
    text({ ...base, tls: { pki: { crlFiles: [] } } }),
    '/tls/pki/crlFiles',
    'tls.pki.crlFiles must list at least 1 item; remove the key or add one',
  ],
  [
    'malformed fingerprint',
    text({ ...base, tls: { pki: { pinnedSha256: ['AB:CD'] } } }),
    '/tls/pki/pinnedSha256/0',
    'tls.pki.pinnedSha256[0] must be a SHA-256 fingerprint: 32 hex bytes separated by \':\' (AB:CD:...) or 64 hex digits; got "AB:CD"',
  ],
  [
    'validation off with empty lists of both pin kinds',
    text({ ...base, tls: { validateCertificateChain: false, pki: { pinnedSha256: [], pinnedPublicKeySha256: [] } } }),
    '/tls/validateCertificateChain',
    NO_PIN,
  ],
  [
    'public key pin without the sha256// prefix',
    text({ ...base, tls: { pki: { pinnedPublicKeySha256: [KEY_PIN.slice('sha256//'.length)] } } }),
    '/tls/pki/pinnedPublicKeySha256/0',
    `tls.pki.pinnedPublicKeySha256[0] must be a public key pin as curl --pinnedpubkey takes it: sha256// and 44 base64 characters (the SHA-256 of the DER SubjectPublicKeyInfo), one pin per item (split curl's ';'-separated list); got "YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE="`,
  ],
  [
    "two public key pins in one item (curl's ';' list)",
    text({ ...base, tls: { pki: { pinnedPublicKeySha256: [`${KEY_PIN};${KEY_PIN}`] } } }),
    '/tls/pki/pinnedPublicKeySha256/0',
    `tls.pki.pinnedPublicKeySha256[0] must be a public key pin as curl --pinnedpubkey takes it: sha256// and 44 base64 characters (the SHA-256 of the DER SubjectPublicKeyInfo), one pin per item (split curl's ';'-separated list); got "sha256//YhKJKSzoTt2b5FP18fvpHo7fJYqQCjAa3HWY3tvRMwE=;sha..."`,
  ],
  [
    'public key pin of a SHA-1 hash (28 base64 characters)',
    text({ ...base, tls: { pki: { pinnedPublicKeySha256: ['sha256//2jmj7l5rSw0yVb/vlWAYkK/YBwk='] } } }),
    '/tls/pki/pinnedPublicKeySha256/0',
    `tls.pki.pinnedPublicKeySha256[0] must be a public key pin as curl --pinnedpubkey takes it: sha256// and 44 base64 characters (the SHA-256 of the DER SubjectPublicKeyInfo), one pin per item (split curl's ';'-separated list); got "sha256//2jmj7l5rSw0yVb/vlWAYkK/YBwk="`,
  ],
  [
    'same public key pin twice',
    text({ ...base, tls: { pki: { pinnedPublicKeySha256: [KEY_PIN, KEY_PIN] } } }),
    '/tls/pki/pinnedPublicKeySha256/1',
    'tls.pki.pinnedPublicKeySha256 lists the same value twice (items 0 and 1); remove one',
  ],
  [
    'description that is not a string',
    text({ ...base, description: ['payroll', 'owner: finance'] }),
    '/description',
    'description must be a string; got an array',
  ],
  [
    'same fingerprint twice',
    text({ ...base, tls: { pki: { pinnedSha256: [FINGERPRINT, FINGERPRINT] } } }),
    '/tls/pki/pinnedSha256/1',
    'tls.pki.pinnedSha256 lists the same value twice (items 0 and 1); remove one',
  ],
  [
    'proxy enabled without host',
    text({ ...base, proxy: { enabled: true } }),
    '/proxy/enabled',
    'proxy.enabled is true but proxy.host or proxy.port is missing: say which proxy to go through. Add proxy.host and proxy.port, or set proxy.enabled to false',
  ],
  [
    'unknown proxy type',
    text({ ...base, proxy: { type: 'socks4' } }),
    '/proxy/type',
    'proxy.type must be one of https-connect, socks5; got "socks4"',
  ],
  [
    'plaintext proxy password',
    text({ ...base, proxy: { authorization: { user: 'u', password: 'secret' } } }),
    '/proxy/authorization/password',
    'proxy.authorization.password: a secret must not be written in the profile: use {"env": "VARIABLE"}, {"file": "path"} or "prompt"',
  ],
  [
    'parallel above the limit',
    text({ ...base, transfer: { parallel: 64 } }),
    '/transfer/parallel',
    'transfer.parallel must be between 1 and 16; got number 64',
  ],
  [
    'unknown verify mode',
    text({ ...base, transfer: { verify: 'md5' } }),
    '/transfer/verify',
    'transfer.verify must be one of none, size, hash; got "md5"',
  ],
  ['tls as a boolean', text({ ...base, tls: true }), '/tls', 'tls must be an object; got boolean true'],
];

describe('validateProfileText: invalid profiles', () => {
  it.each(cases)('%s', (_title, source, pointer, message) => {
    expect(problemsOf(source)).toContainEqual({ pointer, message });
  });

  it('reports nothing but the expected problem for single-mistake profiles', () => {
    const single = cases.filter(([title]) => !['not an object'].includes(title));
    for (const [title, source] of single) {
      expect({ title, count: problemsOf(source).length }).toEqual({ title, count: 1 });
    }
  });
});

describe('validateProfileText: positions', () => {
  it('points at the key of an unknown key and at the value of a wrong value', () => {
    const source =
      '{\n  "name": "a",\n  "host": "h",\n  "tls": {\n    "fipMode": true,\n    "minVersion": "TLSv1.0"\n  }\n}';
    const result = validateProfileText(source);
    expect(result.valid).toBe(false);
    expect(result.problems).toEqual([
      {
        pointer: '/tls/fipMode',
        line: 5,
        column: 5,
        message: 'unknown key "fipMode" in tls; did you mean "fipsMode"?',
      },
      {
        pointer: '/tls/minVersion',
        line: 6,
        column: 19,
        message: 'tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"',
      },
    ]);
  });

  it('places a JSON syntax error at its line and column', () => {
    const result = validateProfileText('{\n  "name": "a",\n  "host": "h",\n}');
    expect(result.problems).toEqual([
      { pointer: '', line: 4, column: 1, message: 'invalid JSON: trailing comma before "}"; remove the last ","' },
    ]);
  });

  it('places a missing key at its parent object', () => {
    const result = validateProfileText(
      '{\n  "name": "a",\n  "tls": {\n    "pki": {"clientCertificate": {"certFile": "c"}}\n  },\n  "host": "h"\n}',
    );
    expect(result.problems).toEqual([
      {
        pointer: '/tls/pki/clientCertificate/keyFile',
        line: 4,
        column: 34,
        message:
          'missing required key "keyFile" in tls.pki.clientCertificate: PEM file of the client certificate\'s private key',
      },
    ]);
  });

  it('lists every problem of a profile at once, in file order', () => {
    const source = text({ ...base, port: 0, tls: { minVersion: 'SSLv3', fipMode: true }, transfer: { verify: 'crc' } });
    expect(problemsOf(source).map((p) => p.pointer)).toEqual([
      '/port',
      '/tls/minVersion',
      '/tls/fipMode',
      '/transfer/verify',
    ]);
  });
});

describe('validateProfileText: secrets', () => {
  it('never repeats a plaintext password in a message', () => {
    const messages = [
      ...problemsOf(text({ ...base, password: 'Tr0ub4dor&3' })),
      ...problemsOf(text({ ...base, proxy: { authorization: { user: 'u', password: 'Tr0ub4dor&3' } } })),
      ...problemsOf(
        text({
          ...base,
          tls: { pki: { clientCertificate: { certFile: 'c', keyFile: 'k', passphrase: 'Tr0ub4dor&3' } } },
        }),
      ),
      ...problemsOf(text({ ...base, password: 12345678 })),
    ].map((p) => p.message);
    expect(messages).toHaveLength(4);
    for (const message of messages) {
      expect(message).not.toContain('Tr0ub4dor');
      expect(message).not.toContain('12345678');
    }
  });
});

describe('validateProfileText: valid profiles', () => {
  it('accepts a minimal profile', () => {
    expect(validateProfileText(text({ name: 'a', host: 'h.example' }))).toMatchObject({
      valid: true,
      profile: { name: 'a', host: 'h.example' },
      problems: [],
    });
  });

  it('accepts validation off when a pin authenticates the host', () => {
    const result = validateProfileText(
      text({ ...base, tls: { validateCertificateChain: false, pki: { pinnedSha256: [FINGERPRINT] } } }),
    );
    expect(result.valid).toBe(true);
  });

  it('accepts validation off when a public key pin (curl sha256//BASE64) authenticates the host', () => {
    expect(
      validateProfileText(
        text({ ...base, tls: { validateCertificateChain: false, pki: { pinnedPublicKeySha256: [KEY_PIN] } } }),
      ).valid,
    ).toBe(true);
    expect(
      validateProfileText(
        text({
          ...base,
          tls: { validateCertificateChain: false, pki: { pinnedSha256: [], pinnedPublicKeySha256: [KEY_PIN] } },
        }),
      ).valid,
    ).toBe(true);
  });

  it('accepts both pin kinds together, and a description', () => {
    const result = validateProfileText(
      text({
        ...base,
        description: 'Payroll drop; owner: finance (TICKET-12)',
        tls: { pki: { pinnedSha256: [FINGERPRINT], pinnedPublicKeySha256: [KEY_PIN] } },
      }),
    );
    expect(result).toMatchObject({ valid: true, profile: { description: 'Payroll drop; owner: finance (TICKET-12)' } });
  });

  it('accepts IPv4 and IPv6 hosts and all three secret sources', () => {
    for (const host of ['192.0.2.10', '::1', '2001:db8::21'])
      expect(validateProfileText(text({ ...base, host })).valid).toBe(true);
    for (const password of ['prompt', { env: 'X' }, { file: 'pw.txt' }])
      expect(validateProfileText(text({ ...base, password })).valid).toBe(true);
  });

  it('treats keys such as __proto__ as data, not as the prototype', () => {
    const result = validateProfileText('{"name": "a", "host": "h", "__proto__": {"tls": {"enabled": false}}}');
    expect(result.problems).toEqual([
      {
        pointer: '/__proto__',
        line: 1,
        column: 28,
        message:
          'unknown key "__proto__" at the top level; allowed keys: name, description, host, port, user, password, tls, network, proxy, transfer, audit',
      },
    ]);
  });
});
