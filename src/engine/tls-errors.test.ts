import { classifyTlsError } from './tls-errors';

const withCode = (code: string, message = code): Error => Object.assign(new Error(message), { code });

describe('classifyTlsError', () => {
  it.each([
    ['CERT_HAS_EXPIRED', 'FTPSCTL_ERR_CERT_EXPIRED'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'FTPSCTL_ERR_CERT_HOSTNAME'],
    ['CERT_REVOKED', 'FTPSCTL_ERR_CERT_REVOKED'],
    ['UNABLE_TO_GET_CRL', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
    ['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'FTPSCTL_ERR_CERT_REQUIRED'],
    ['ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', 'FTPSCTL_ERR_TLS_HANDSHAKE'],
    // A peer hang-up during a handshake is a network failure (exit 6), never a security one (issue 11 fault 4).
    ['ECONNRESET', 'FTPSCTL_ERR_CLOSED'],
    ['EPIPE', 'FTPSCTL_ERR_CLOSED'],
    ['ERR_SSL_SOMETHING_NEW', 'FTPSCTL_ERR_TLS_HANDSHAKE'],
    ['INVALID_PURPOSE', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
    ['UNSPECIFIED', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
    ['X509_NAME_NEW_IN_OPENSSL_4', 'FTPSCTL_ERR_CERT_UNTRUSTED'],
  ])('%s -> %s', (nodeCode, code) => {
    const error = classifyTlsError(withCode(nodeCode), '127.0.0.1', 'control');
    expect(error.code).toBe(code);
    expect(error.message).toContain('127.0.0.1 (control connection)');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("reads Node's 'disconnected before secure TLS connection' as a hang-up (exit 6)", () => {
    const error = classifyTlsError(
      withCode('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'),
      'h',
      'data',
    );
    expect(error.code).toBe('FTPSCTL_ERR_CLOSED');
    expect(error.message).toBe(
      'TLS with h (data connection) failed: the server closed the connection during the handshake',
    );
    expect(classifyTlsError(new Error('socket disconnected'), 'h', 'data').code).toBe('FTPSCTL_ERR_CLOSED');
  });

  it.each([
    ['UNSPECIFIED', 'CA signature digest algorithm too weak'],
    ['UNSPECIFIED', 'EE certificate key too weak'],
    ['UNSPECIFIED', 'excluded subtree violation'],
    ['INVALID_PURPOSE', 'unsupported certificate purpose'],
  ])("shows OpenSSL's reason, not only the code, for %s (%s)", (nodeCode, reason) => {
    const error = classifyTlsError(withCode(nodeCode, reason), 'h', 'control');
    expect(error.code).toBe('FTPSCTL_ERR_CERT_UNTRUSTED');
    expect(error.message).toContain(nodeCode === 'UNSPECIFIED' ? reason : 'serverAuth');
    expect(error.message).not.toMatch(/\(UNSPECIFIED\)/);
  });

  it('a missing CRL names the issuers of the CRLs given, and says every certificate of the chain needs one', () => {
    const error = classifyTlsError(withCode('UNABLE_TO_GET_CRL', 'unable to get certificate CRL'), 'h', 'control', {
      crlIssuers: () => ['O=Corp, CN=Corp Root', 'O=Corp, CN=Corp Root', 'CN=Other'],
    });
    expect(error.code).toBe('FTPSCTL_ERR_CERT_UNTRUSTED');
    expect(error.message).toContain('each intermediate CA needs the CRL of the CA above it');
    expect(error.message).toContain('tls.pki.crlFiles has CRLs from "O=Corp, CN=Corp Root", "CN=Other" only');
    expect(error.message).toContain("add the missing issuer's CRL to tls.pki.crlFiles");
    expect(classifyTlsError(withCode('UNABLE_TO_GET_CRL'), 'h', 'control', { crlIssuers: () => [] }).message).toContain(
      'no readable CRL is in tls.pki.crlFiles',
    );
    // Without the context (a data connection) nothing is claimed about the files.
    expect(classifyTlsError(withCode('UNABLE_TO_GET_CRL'), 'h', 'data').message).not.toContain('has CRLs from');
  });

  it('says what to change for a hostname mismatch', () => {
    expect(classifyTlsError(withCode('ERR_TLS_CERT_ALTNAME_INVALID'), 'ftp.example', 'data').message).toBe(
      'TLS with ftp.example (data connection) failed: the server certificate is not valid for this name; connect with the name in the certificate (set tls.serverName), or have the certificate reissued',
    );
  });

  it('recognises a certificate-required alert by its text when the code is generic', () => {
    expect(
      classifyTlsError(new Error('error:0A00045C:SSL routines::tlsv13 alert certificate required'), 'h', 'control')
        .code,
    ).toBe('FTPSCTL_ERR_CERT_REQUIRED');
  });
});
