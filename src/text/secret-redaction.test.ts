import {
  clearRegisteredSecrets,
  redactSecrets,
  redactSecretsIn,
  registerBasicCredentials,
  registerSecret,
} from './secret-redaction';

afterEach(() => clearRegisteredSecrets());

describe('secret redaction', () => {
  it('removes a password a server echoed, wherever it stands', () => {
    registerSecret('hunter2-Secret');
    expect(redactSecrets('530 Login incorrect for password hunter2-Secret')).toBe(
      '530 Login incorrect for password [REDACTED]',
    );
    expect(redactSecrets('hunter2-Secrethunter2-Secret!')).toBe('[REDACTED][REDACTED]!');
  });

  it('removes the JSON-escaped and URL-encoded forms, as they appear in --json output and URLs', () => {
    registerSecret('p"a\\ss w/rd');
    const json = JSON.stringify({ message: 'echo p"a\\ss w/rd' });
    expect(redactSecrets(json)).toBe('{"message":"echo [REDACTED]"}');
    expect(redactSecrets(`ftp://u:${encodeURIComponent('p"a\\ss w/rd')}@h`)).toBe('ftp://u:[REDACTED]@h');
  });

  it('replaces a secret that contains another whole, and leaves other text alone', () => {
    registerSecret('abcd');
    registerSecret('xxabcdxx');
    expect(redactSecrets('1 xxabcdxx 2 abcd 3 abc')).toBe('1 [REDACTED] 2 [REDACTED] 3 abc');
  });

  it('a value shorter than 4 characters is redacted only where it is a whole word (review: a 3-character password echoed in a 530)', () => {
    registerSecret('k9Z');
    expect(redactSecrets('530 Login incorrect: password k9Z is wrong')).toBe(
      '530 Login incorrect: password [REDACTED] is wrong',
    );
    expect(redactSecrets('"k9Z",k9Z.')).toBe('"[REDACTED]",[REDACTED].');
    // Inside other words it stays: replacing those would garble the output and hide nothing.
    expect(redactSecrets('ak9Zb k9Z2 Ük9Z')).toBe('ak9Zb k9Z2 Ük9Z');
    registerSecret('a.b');
    expect(redactSecrets('a.b axb')).toBe('[REDACTED] axb');
  });

  it("registerBasicCredentials hides the proxy's Basic token (RFC 7617) as well as the password", () => {
    registerBasicCredentials('treasury', 'Proxy-Pw-5c1e9a');
    const token = Buffer.from('treasury:Proxy-Pw-5c1e9a').toString('base64');
    expect(redactSecrets(`403 Forbidden (Proxy-Authorization: Basic ${token})`)).toBe(
      '403 Forbidden (Proxy-Authorization: Basic [REDACTED])',
    );
  });
});

describe('redactSecretsIn: redaction before serialising', () => {
  afterEach(() => clearRegisteredSecrets());

  it('a secret ending in a backslash next to a quote leaves valid JSON (the audit log redacted serialised text before)', () => {
    registerSecret('Trick-review\\');
    const event = { file: { path: 'Trick-review\\"x' }, list: ['Trick-review\\', 7], ok: true };
    const line = JSON.stringify(redactSecretsIn(event));
    expect(JSON.parse(line)).toEqual({ file: { path: '[REDACTED]"x' }, list: ['[REDACTED]', 7], ok: true });
  });

  it('keys are redacted too, and a value without secrets is returned as it is', () => {
    registerSecret('hunter22');
    expect(redactSecretsIn({ hunter22: 'x' })).toEqual({ '[REDACTED]': 'x' });
    clearRegisteredSecrets();
    const value = { a: 1 };
    expect(redactSecretsIn(value)).toBe(value);
  });
});
