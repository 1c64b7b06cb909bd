import {
  errorCategory,
  exitCodeFor,
  exitCodeForError,
  exitCodeForSignal,
  ExitCode,
  isSecurityFailure,
} from './exit-codes';
import { FtpsctlError, InterruptedError } from './ftpsctl-error';

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

  it("gives a signal's interruption 128 + the signal, as shells report a death by it", () => {
    expect(exitCodeForSignal('SIGINT')).toBe(ExitCode.interrupted);
    expect(exitCodeForSignal('SIGTERM')).toBe(143);
    expect(exitCodeForSignal('SIGHUP')).toBe(129);
    expect(exitCodeForError(new InterruptedError('SIGTERM', 'stopped by SIGTERM'))).toBe(143);
    expect(new InterruptedError('SIGHUP', 'x').details()).toEqual({ signal: 'SIGHUP' });
    // Ctrl-C at the password prompt carries no signal: the code's own exit.
    expect(exitCodeForError(new FtpsctlError('FTPSCTL_ERR_INTERRUPTED', 'x'))).toBe(130);
    expect(exitCodeForError(new FtpsctlError('FTPSCTL_ERR_CERT_EXPIRED', 'x'))).toBe(5);
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
