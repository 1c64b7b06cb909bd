/**
 * Node's TLS and certificate errors -> our stable codes, each with a message that says what
 * failed and what to change. Pure: the error in, a SessionError out.
 */
import { SessionError, type FtpsctlErrorCode } from '../errors';

const BY_NODE_CODE: Record<string, { code: FtpsctlErrorCode; what: string; fix: string }> = {
  CERT_HAS_EXPIRED: {
    code: 'FTPSCTL_ERR_CERT_EXPIRED',
    what: 'the server certificate has expired',
    fix: 'the server administrator must renew it',
  },
  CERT_NOT_YET_VALID: {
    code: 'FTPSCTL_ERR_CERT_EXPIRED',
    what: 'the server certificate is not valid yet',
    fix: 'check the clocks of both machines',
  },
  DEPTH_ZERO_SELF_SIGNED_CERT: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the server certificate is self-signed',
    fix: 'put the issuing CA (here: the certificate itself) in tls.pki.caFile; or, to trust this one server by its key alone, pin it (tls.pki.pinnedPublicKeySha256 or tls.pki.pinnedSha256) and set tls.validateCertificateChain to false',
  },
  SELF_SIGNED_CERT_IN_CHAIN: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the server certificate chain ends in a CA that is not trusted',
    fix: 'put that CA in tls.pki.caFile',
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the server certificate was issued by a CA that is not trusted',
    fix: 'put the issuing CA in tls.pki.caFile',
  },
  UNABLE_TO_GET_ISSUER_CERT: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the issuer of the server certificate is unknown',
    fix: 'put the issuing CA in tls.pki.caFile',
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the issuer of the server certificate is unknown',
    fix: 'put the issuing CA in tls.pki.caFile',
  },
  CERT_UNTRUSTED: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the server certificate is not trusted',
    fix: 'put the issuing CA in tls.pki.caFile',
  },
  CERT_SIGNATURE_FAILURE: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the server certificate signature does not verify',
    fix: 'the certificate is damaged or forged; contact the server administrator',
  },
  INVALID_CA: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'a CA certificate in the chain is not a valid CA',
    fix: 'contact the server administrator',
  },
  INVALID_PURPOSE: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'a certificate in the chain is not for TLS servers (its extended key usage lacks serverAuth, or a CA is not allowed to sign server certificates)',
    fix: 'the server administrator must use a certificate issued for serverAuth',
  },
  PATH_LENGTH_EXCEEDED: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the chain is longer than a CA in it allows (basicConstraints pathLenConstraint)',
    fix: 'the server administrator must use a certificate from a CA allowed to issue it',
  },
  CERT_CHAIN_TOO_LONG: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the server certificate chain is too long',
    fix: 'contact the server administrator',
  },
  CERT_REJECTED: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the root CA is marked to reject this purpose',
    fix: 'contact the administrator of the trust store',
  },
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the server certificate signature cannot be checked',
    fix: 'the certificate is damaged; contact the server administrator',
  },
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: "the issuer's public key cannot be read",
    fix: 'contact the server administrator',
  },
  HOSTNAME_MISMATCH: {
    code: 'FTPSCTL_ERR_CERT_HOSTNAME',
    what: 'the server certificate is not valid for this name',
    fix: 'connect with the name in the certificate (set tls.serverName), or have the certificate reissued',
  },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    code: 'FTPSCTL_ERR_CERT_HOSTNAME',
    what: 'the server certificate is not valid for this name',
    fix: 'connect with the name in the certificate (set tls.serverName), or have the certificate reissued',
  },
  CERT_REVOKED: {
    code: 'FTPSCTL_ERR_CERT_REVOKED',
    what: 'the server certificate has been revoked (CRL)',
    fix: 'do not connect; the server administrator must replace the certificate',
  },
  CRL_HAS_EXPIRED: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the CRL in tls.pki.crlFiles has expired, so revocation status is unknown',
    fix: 'fetch a current CRL',
  },
  CRL_NOT_YET_VALID: {
    code: 'FTPSCTL_ERR_CERT_UNTRUSTED',
    what: 'the CRL in tls.pki.crlFiles is not valid yet',
    fix: 'check the clock and the CRL',
  },
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: {
    code: 'FTPSCTL_ERR_CERT_REQUIRED',
    what: 'the server requires a client certificate',
    fix: 'set tls.pki.clientCertificate to a certificate the server accepts',
  },
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: {
    code: 'FTPSCTL_ERR_CERT_REQUIRED',
    what: 'the server rejected the client certificate',
    fix: 'use a client certificate issued by a CA the server trusts',
  },
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: {
    code: 'FTPSCTL_ERR_CERT_REQUIRED',
    what: 'the server does not trust the CA of the client certificate',
    fix: 'use a client certificate issued by a CA the server trusts',
  },
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: {
    code: 'FTPSCTL_ERR_CERT_REQUIRED',
    what: 'the server rejected the client certificate',
    fix: 'use a client certificate the server accepts',
  },
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: {
    code: 'FTPSCTL_ERR_TLS_HANDSHAKE',
    what: 'the server supports none of the TLS versions allowed',
    fix: 'the server must support the versions between tls.minVersion and tls.maxVersion',
  },
  ERR_SSL_UNSUPPORTED_PROTOCOL: {
    code: 'FTPSCTL_ERR_TLS_HANDSHAKE',
    what: 'the server chose a TLS version that is not allowed',
    fix: 'the server must support the versions between tls.minVersion and tls.maxVersion',
  },
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: {
    code: 'FTPSCTL_ERR_TLS_HANDSHAKE',
    what: 'the server refused the handshake (no common cipher suite, or a client certificate it needs)',
    fix: 'check tls.encryptionStrength and tls.fipsMode against what the server offers, and whether it requires a client certificate',
  },
  ERR_SSL_NO_SHARED_CIPHER: {
    code: 'FTPSCTL_ERR_TLS_HANDSHAKE',
    what: 'the server shares no cipher suite with the allowed ones',
    fix: 'check tls.encryptionStrength and tls.fipsMode',
  },
  ERR_SSL_WRONG_VERSION_NUMBER: {
    code: 'FTPSCTL_ERR_TLS_HANDSHAKE',
    what: 'the server did not answer with TLS',
    fix: 'check tls.implicit (implicit servers usually listen on 990, explicit on 21) and the port',
  },
};

/** What the caller knows beyond the error: the issuers of the CRLs it gave OpenSSL (read only on a CRL failure). */
export interface TlsErrorContext {
  crlIssuers?: () => readonly string[];
}

/**
 * OpenSSL found no CRL for a certificate of the chain. Node turns CRL checking on for the whole
 * chain (X509_V_FLAG_CRL_CHECK_ALL), so an intermediate CA needs its issuer's CRL too, a common
 * surprise; the issuers of the CRLs given are named so the missing one can be told apart.
 */
function missingCrlText(context: TlsErrorContext): { what: string; fix: string } {
  const issuers = context.crlIssuers?.();
  const given =
    issuers === undefined
      ? ''
      : issuers.length === 0
        ? '; no readable CRL is in tls.pki.crlFiles'
        : `; tls.pki.crlFiles has CRLs from ${[...new Set(issuers)].map((name) => `"${name}"`).join(', ')} only`;
  return {
    what: `no CRL from the issuer of one of the server's certificates is in tls.pki.crlFiles, so its revocation status is unknown (CRLs are checked for every certificate of the chain: the server certificate needs its CA's CRL, and each intermediate CA needs the CRL of the CA above it${given})`,
    fix: "add the missing issuer's CRL to tls.pki.crlFiles (`ftpsctl session check` with tls.pki.revocation none shows the server certificate's issuer; `openssl s_client -starttls ftp -showcerts` shows the whole chain)",
  };
}

/** A TLS-layer failure while connecting to `host`, as a SessionError with a stable code. */
export function classifyTlsError(
  error: unknown,
  host: string,
  channel: 'control' | 'data' | 'proxy',
  context: TlsErrorContext = {},
): SessionError {
  const nodeCode = (error as { code?: string }).code ?? '';
  // A missing CRL's text names the CRLs given: built here, not in the table.
  const known =
    nodeCode === 'UNABLE_TO_GET_CRL'
      ? { code: 'FTPSCTL_ERR_CERT_UNTRUSTED' as const, ...missingCrlText(context) }
      : BY_NODE_CODE[nodeCode];
  const where = channel === 'proxy' ? host : `${host} (${channel} connection)`;
  if (known)
    return new SessionError(known.code, `TLS with ${where} failed: ${known.what}; ${known.fix}`, {
      cause: error,
      host,
    });
  if (/certificate required/i.test(String((error as Error).message))) {
    return new SessionError(
      'FTPSCTL_ERR_CERT_REQUIRED',
      `TLS with ${where} failed: the server requires a client certificate; set tls.pki.clientCertificate`,
      { cause: error, host },
    );
  }
  // A hang-up is a network failure (exit 6), not a security one: only certificate, pin,
  // protocol-version and strength failures are. The server's reply usually says why (421...).
  if (
    nodeCode === 'ECONNRESET' ||
    nodeCode === 'EPIPE' ||
    /socket disconnected/i.test(String((error as Error).message))
  ) {
    return new SessionError(
      'FTPSCTL_ERR_CLOSED',
      `TLS with ${where} failed: the server closed the connection during the handshake`,
      { cause: error, host },
    );
  }
  // A certificate verification error Node has no name for ("UNSPECIFIED", or a name not above):
  // OpenSSL's own text says why ("CA signature digest algorithm too weak", "excluded subtree violation").
  const reason = openSslReason(error);
  if (isVerificationError(error)) {
    return new SessionError(
      'FTPSCTL_ERR_CERT_UNTRUSTED',
      `TLS with ${where} failed: the server certificate chain was refused: ${reason}${nodeCode && nodeCode !== 'UNSPECIFIED' ? ` (${nodeCode})` : ''}; the server administrator must fix the certificate chain`,
      { cause: error, host },
    );
  }
  const detail = nodeCode ? `${nodeCode}: ${reason}` : reason;
  return new SessionError('FTPSCTL_ERR_TLS_HANDSHAKE', `TLS with ${where} failed (${detail})`, { cause: error, host });
}

/** OpenSSL's text for the failure (Node puts X509_verify_cert_error_string's words in the message). */
function openSslReason(error: unknown): string {
  const message = String((error as Error)?.message ?? error).trim();
  return message === '' ? 'no reason given' : message;
}

/**
 * Node reports X.509 verification failures with OpenSSL's X509_V_ERR_* names without prefix,
 * and every one it has no name for as UNSPECIFIED; TLS-layer failures carry ERR_SSL_* / ERR_TLS_*.
 */
function isVerificationError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code) && !/^(ERR_|E[A-Z]+$)/.test(code);
}
