/**
 * What the proxy launchers take and return. Tests of the client's "security proxy" feature
 * code against these types, so a suite can run the same checks through either proxy.
 */

/** 'https-connect': squid, TLS from the client, Basic auth, CONNECT. 'socks5': dante, RFC 1929 username/password. */
export type ProxyKind = 'https-connect' | 'socks5';

/** PEM files the HTTPS proxy presents; paths only, so the launchers don't depend on the test PKI. */
export interface ProxyTlsFiles {
  certFile: string;
  keyFile: string;
}

/** Options both launchers understand. */
export interface ProxyOptions {
  /** Proxy login name; default `ftpsctl-proxy-user`. */
  user?: string;
  /** Proxy password; default a random one. Never put on a command line. */
  password?: string;
  /** How long to wait for the proxy to answer; default 10 s. */
  startTimeoutMs?: number;
}

export interface HttpsConnectProxyOptions extends ProxyOptions {
  tls: ProxyTlsFiles;
}

export type Socks5ProxyOptions = ProxyOptions;

/** A running proxy on 127.0.0.1 that lets authenticated clients reach 127.0.0.1 (any port) only. */
export interface RunningProxy {
  readonly kind: ProxyKind;
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** Kills the proxy's process group, waits for it to exit and removes its files. Idempotent. */
  stop(): Promise<void>;
  /** Everything the proxy logged so far, for failure messages. */
  log(): string;
  /**
   * Client connections the proxy's log shows as finished since it became ready, allowed or
   * refused (squid: one access.log line per request; dante: one line per ended session).
   * Squid logs a CONNECT only when its tunnel closes.
   */
  connectionsSeen(): number;
}
