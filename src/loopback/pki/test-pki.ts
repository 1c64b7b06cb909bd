/** The shape of a test PKI: what `createTestPki` returns. Other testbed parts code against it. */

export interface PemPair {
  certFile: string;
  keyFile: string;
  /** PEM certificate. */
  cert: string;
  /** PEM private key (unencrypted PKCS#8). */
  key: string;
  /** SHA-256 of the certificate DER, uppercase hex with colons (AB:CD:...) */
  sha256: string;
}

export interface TestPki {
  dir: string;
  /** The test CA certificate (PEM) and its file. */
  caFile: string;
  ca: string;
  /** Signed by the CA, CN=localhost, SAN DNS:localhost + IP:127.0.0.1, notBefore 1 day ago, valid 1 year. */
  server: PemPair;
  /** Same SANs, notAfter in the past. */
  expired: PemPair;
  /** SAN DNS:wrong.example only. */
  wrongHost: PemPair;
  /** Self-signed leaf, SANs localhost / 127.0.0.1. */
  selfSigned: PemPair;
  /** Signed by a second CA that is NOT in caFile; `caFile` here is that second CA. */
  untrusted: PemPair & { caFile: string };
  /** Signed by the CA and listed in crlFile. */
  revoked: PemPair;
  /** CRL (PEM) by the CA listing `revoked`, nextUpdate in the future. */
  crlFile: string;
  /** Client certificate by the CA with EKU clientAuth; its key also as encrypted PKCS#8. */
  client: PemPair & { encryptedKeyFile: string; passphrase: string };
  /** Server certificate followed by the CA certificate (a chain file for servers that take one). */
  serverChainFile: string;
  /** Server key + server cert + CA cert, PEM, in one file (pure-ftpd's /etc/ssl/private/pure-ftpd.pem format). */
  serverBundleFile: string;
}

export interface TestPkiOptions {
  /**
   * 'rsa' (default): RSA-2048, which every server accepts (vsftpd, proftpd, pure-ftpd).
   * 'ec': P-256, for tests that only talk to Node and want the PKI in a few milliseconds.
   */
  keyType?: 'rsa' | 'ec';
}
