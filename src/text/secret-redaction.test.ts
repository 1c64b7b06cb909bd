import { clearRegisteredSecrets, redactSecrets, redactSecretsIn, registerSecret } from './secret-redaction';

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

  it('does not register values too short to hide anything without garbling the output', () => {
    registerSecret('ab');
    expect(redactSecrets('ab ab')).toBe('ab ab');
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
