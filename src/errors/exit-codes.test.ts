import { errorCategory, exitCodeFor, ExitCode, isSecurityFailure } from './exit-codes';

describe('exitCodeFor', () => {
  it('maps each class of error to its exit code (DESIGN.md)', () => {
    expect(exitCodeFor('FTPSCTL_ERR_USAGE')).toBe(ExitCode.usage);
    expect(exitCodeFor('FTPSCTL_ERR_PROFILE_INVALID')).toBe(3);
    expect(exitCodeFor('FTPSCTL_ERR_REFUSED_BY_POLICY')).toBe(4);
    expect(exitCodeFor('FTPSCTL_ERR_CERT_EXPIRED')).toBe(5);
    expect(exitCodeFor('FTPSCTL_ERR_PASV_ADDRESS')).toBe(5);
    expect(exitCodeFor('FTPSCTL_ERR_AUTH_FAILED')).toBe(6);
    expect(exitCodeFor('FTPSCTL_ERR_TIMEOUT')).toBe(6);
    expect(exitCodeFor('FTPSCTL_ERR_PROXY_AUTH')).toBe(6);
    expect(exitCodeFor('FTPSCTL_ERR_INTERRUPTED')).toBe(130);
  });

  it('treats an unknown code as unexpected', () => {
    expect(exitCodeFor('SOMETHING_ELSE')).toBe(ExitCode.unexpected);
  });
});

describe('error categories', () => {
  it('put every code in one category, and derive exit codes from categories only', () => {
    expect(errorCategory('FTPSCTL_ERR_CERT_EXPIRED')).toBe('security');
    expect(errorCategory('FTPSCTL_ERR_CLOSED')).toBe('network');
    expect(errorCategory('FTPSCTL_ERR_INPUT_FILE')).toBe('invalid-input');
    expect(errorCategory('FTPSCTL_ERR_REFUSED_BY_POLICY')).toBe('refused');
    expect(errorCategory('FTPSCTL_ERR_SOMETHING_NEW')).toBe('internal');
    expect(isSecurityFailure({ code: 'FTPSCTL_ERR_PIN_MISMATCH' })).toBe(true);
    expect(isSecurityFailure({ code: 'FTPSCTL_ERR_CLOSED' })).toBe(false);
    expect(isSecurityFailure(new Error('x'))).toBe(false);
    expect(isSecurityFailure(undefined)).toBe(false);
  });
});
