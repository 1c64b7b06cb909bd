/* eslint-disable */
/**
 * GENERATED FILE, DO NOT EDIT: run `npm run gen:types`.
 * A session profile with every default applied.
 * Source: schemas/session-profile.schema.json
 */

/**
 * A secret's source: an environment variable, a file, or an interactive prompt. Never the secret itself.
 */
export type SecretSource = PromptSecret | EnvSecret | FileSecret;
export type PromptSecret = "prompt";

/**
 * A session profile with every default applied (what `loadProfile` returns).
 */
export interface EffectiveProfile {
  /**
   * Path or URI of this schema, so that editors can complete and check the profile. Ignored by ftpsctl.
   */
  $schema?: string;
  /**
   * Unique name of the profile. Policies select profiles by this name (appliesTo/profile), and audit events carry it.
   */
  name: string;
  /**
   * Free text for people: what the profile is for, who owns it, a ticket number. JSON has no comments; notes go here. ftpsctl shows it and otherwise ignores it.
   */
  description?: string;
  /**
   * The FTP server to connect to: a DNS name or an IPv4/IPv6 address.
   */
  host: string;
  /**
   * TCP port of the FTP server's control connection.
   */
  port: number;
  /**
   * The login name sent with USER, only after TLS protects the control connection.
   */
  user: string;
  password?: SecretSource;
  tls: EffectiveTlsSettings;
  network: EffectiveNetworkSettings;
  proxy: EffectiveProxySettings;
  transfer: EffectiveTransferSettings;
  audit?: EffectiveAuditSettings;
}
export interface EnvSecret {
  /**
   * Name of the environment variable that holds the secret.
   */
  env: string;
}
export interface FileSecret {
  /**
   * File whose first line is the secret. Keep it readable by its owner only.
   */
  file: string;
}
/**
 * How the session is protected with SSL/TLS.
 */
export interface EffectiveTlsSettings {
  /**
   * Use SSL/TLS security. When true, ftpsctl only connects if a TLS-protected session can be established; it never falls back to plain FTP.
   */
  enabled: boolean;
  /**
   * Implicit TLS: the TLS handshake starts as soon as the connection is open (usually port 990). When false, ftpsctl connects in clear and asks for TLS with AUTH TLS (explicit, usually port 21).
   */
  implicit: boolean;
  /**
   * Oldest TLS version ftpsctl accepts. SSL 3.0, TLS 1.0 and TLS 1.1 are never offered.
   */
  minVersion: "TLSv1.2" | "TLSv1.3";
  /**
   * Newest TLS version ftpsctl offers.
   */
  maxVersion: "TLSv1.2" | "TLSv1.3";
  /**
   * Minimum symmetric key size of the negotiated cipher, in bits. "default" lets client and server agree on the strongest cipher both have; 128 or 256 make the connection fail when the server cannot meet that strength.
   */
  encryptionStrength: "default" | 128 | 256;
  /**
   * Encrypt data stream: directory listings and file contents travel over TLS too (PROT P). When false only the command channel is protected (PROT C) and file contents cross the network in clear.
   */
  encryptDataChannel: boolean;
  /**
   * Clear command channel: after login, send CCC so that later commands travel in clear (for firewalls that inspect FTP commands). Credentials are always sent encrypted; data channels keep their protection.
   */
  clearCommandChannel: boolean;
  /**
   * Retrieve and validate the server's certificate chain against the trusted CAs and check its host name. Turning it off is only allowed together with pins (tls.pki.pinnedSha256 or tls.pki.pinnedPublicKeySha256), which then authenticate the server.
   */
  validateCertificateChain: boolean;
  /**
   * Run in FIPS mode: only FIPS 140-approved protocol versions, cipher suites, key-exchange groups and signature algorithms (TLS 1.2+, AES-GCM, ECDHE P-256/P-384, RSA 2048+, SHA-2), and chain validation always on.
   */
  fipsMode: boolean;
  /**
   * With fipsMode: refuse the session unless the runtime's crypto module runs in validated FIPS mode (crypto.getFips() is on). Without it, FIPS mode restricts the algorithms but says so honestly in the audit log (approved-algorithms-only).
   */
  requireValidatedCryptoModule: boolean;
  /**
   * Name to verify in the server's certificate and to send as SNI, on the control and data connections.
   */
  serverName: string;
  pki: EffectivePkiSettings;
}
/**
 * Configure PKI: which authorities to trust, the client certificate, revocation checking and pinned server certificates.
 */
export interface EffectivePkiSettings {
  /**
   * PEM file of certificate authorities trusted to sign the server's certificate, in addition to (or instead of) the system trust store.
   */
  caFile?: string;
  /**
   * Also trust the operating system's certificate authorities. Set to false to trust only caFile.
   */
  useSystemTrustStore: boolean;
  clientCertificate?: EffectiveClientCertificate;
  /**
   * Certificate revocation checking: "none", or "crl" to refuse certificates listed in tls.pki.crlFiles.
   */
  revocation: "none" | "crl";
  /**
   * PEM files of certificate revocation lists, used when revocation is "crl".
   *
   * @minItems 1
   */
  crlFiles?: [string, ...string[]];
  /**
   * SHA-256 fingerprints of the server certificates to accept. When set, the server's certificate must match one of them, on top of chain validation (or instead of it, when validateCertificateChain is false).
   */
  pinnedSha256?: string[];
  /**
   * Public key pins of the servers to accept, in curl's --pinnedpubkey form: sha256// and the base64 SHA-256 of the certificate's DER SubjectPublicKeyInfo. A pin survives a certificate renewal that keeps the key. When set, the server's public key must match one of them, on top of chain validation and tls.pki.pinnedSha256 (or instead of validation, when validateCertificateChain is false).
   */
  pinnedPublicKeySha256?: string[];
}
/**
 * A client certificate presented to servers that ask for one (mutual TLS).
 */
export interface EffectiveClientCertificate {
  /**
   * PEM file of the client certificate (and any intermediate certificates).
   */
  certFile: string;
  /**
   * PEM file of the client certificate's private key.
   */
  keyFile: string;
  passphrase?: SecretSource;
}
/**
 * How connections are made.
 */
export interface EffectiveNetworkSettings {
  /**
   * Connect through a NAT server: ignore the IP address in the server's PASV reply and open data connections to the control connection's peer. When false, a PASV address that differs from the peer ends the session with an error; ftpsctl never opens a data connection to a third host. Through a proxy the peer is the control host: its IP address, or what its name resolves to on this machine (a name only the proxy resolves can't be compared, and the control host is used).
   */
  nat: boolean;
  /**
   * How long to wait for a connection (and its TLS handshake) to be established, in milliseconds.
   */
  connectTimeoutMs: number;
  /**
   * How long a reply or a data connection may stay silent before the session ends with a timeout, in milliseconds.
   */
  idleTimeoutMs: number;
  /**
   * How data connections are opened: auto sends EPSV (RFC 2428) and falls back to PASV for the rest of the session when EPSV is refused or its 229 reply can't be parsed; epsv never falls back; pasv sends only PASV (the NAT rule of network.nat applies to its address).
   */
  passiveMode: "auto" | "epsv" | "pasv";
  /**
   * How file names and replies are turned into text. auto: UTF-8, with OPTS UTF8 ON when FEAT lists UTF8 (RFC 2640); a byte that is not UTF-8 is kept as it is, so every name is fetched back byte for byte, except one holding the byte 0xFF (Telnet IAC, RFC 854): servers read it differently, so a command holding it is never sent (FTPSCTL_ERR_USAGE). utf8: the same, and OPTS UTF8 ON is sent even when FEAT does not list it. latin1: ISO-8859-1, one character per byte (servers that keep names in a Windows or ISO-8859 code page); OPTS UTF8 ON is not sent, and a name with a character outside ISO-8859-1 is refused before it is sent.
   */
  encoding: "auto" | "utf8" | "latin1";
}
/**
 * Security proxy: reach the FTP server through a proxy. The client-to-proxy leg is protected by TLS (https-connect) and the proxy authorises the user before any session goes through.
 */
export interface EffectiveProxySettings {
  /**
   * Connect through the security proxy.
   */
  enabled: boolean;
  /**
   * "https-connect": TLS to the proxy, then HTTP CONNECT; "socks5": SOCKS5 with username/password authentication.
   */
  type: "https-connect" | "socks5";
  /**
   * The proxy's host name or address.
   */
  host?: string;
  /**
   * The proxy's TCP port.
   */
  port?: number;
  /**
   * PEM file of the authorities trusted to sign the proxy's certificate.
   */
  caFile?: string;
  /**
   * Name to verify in the proxy's certificate and to send as SNI.
   */
  serverName: string;
  authorization?: EffectiveProxyAuthorization;
}
/**
 * Credentials the proxy requires before it forwards a connection.
 */
export interface EffectiveProxyAuthorization {
  /**
   * User name at the proxy.
   */
  user: string;
  password?: SecretSource;
}
/**
 * How files are transferred.
 */
export interface EffectiveTransferSettings {
  /**
   * Number of connections a mirror uses at once.
   */
  parallel: number;
  /**
   * Continue an interrupted transfer from where it stopped (REST) instead of starting again.
   */
  resume: boolean;
  /**
   * How a finished transfer is checked: not at all, by comparing sizes, or by comparing SHA-256 hashes (HASH/XSHA256 where the server has it, else the size).
   */
  verify: "none" | "size" | "hash";
  /**
   * How folders are listed: auto uses MLSD (RFC 3659) when FEAT lists MLST and falls back to LIST for the rest of the session when MLSD is refused (500, 502, 504); mlsd always uses MLSD and fails when it is refused; list always uses LIST (Unix, DOS/IIS, z/OS and IBM i formats).
   */
  listing: "auto" | "mlsd" | "list";
  /**
   * Largest directory listing (MLSD or LIST) ftpsctl reads, in bytes: the data connection is closed at the first byte beyond it and the command fails (FTPSCTL_ERR_TRANSFER). Default 64 MiB, about 800,000 Unix LIST lines.
   */
  maxListingBytes: number;
  /**
   * Most lines (entries) one directory listing may have: the data connection is closed at the first line beyond it and the command fails (FTPSCTL_ERR_TRANSFER). The default, 250,000, keeps `session ls --json` of a listing at the limit under about 450 MiB.
   */
  maxListingEntries: number;
  /**
   * How many folder levels below its root a mirror descends; deeper folders are not mirrored and are reported as refused.
   */
  mirrorMaxDepth: number;
  /**
   * Most entries (files and folders) one mirror plans; once reached, the folders not yet listed are reported as refused and not mirrored.
   */
  mirrorMaxEntries: number;
}
/**
 * Where the session's audit events go.
 */
export interface EffectiveAuditSettings {
  /**
   * JSON-lines file that session audit events are appended to.
   */
  logFile?: string;
}
