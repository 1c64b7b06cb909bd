/** The proxy as the engine sees it: where it is, how to trust it, who we are to it. */
import type { TlsProfileSettings } from '../tls-profile';
export interface ProxyEndpoint {
  type: 'https-connect' | 'socks5';
  host: string;
  port: number;
  /** Name to verify in the proxy's certificate and send as SNI (https-connect). */
  serverName: string;
  /** PEM of proxy.caFile. */
  caPem?: string;
  /** tls.pki.useSystemTrustStore: the system store is trusted for the proxy too. */
  useSystemTrustStore: boolean;
  /** The session's TLS policy (versions, suites, FIPS), applied to the proxy leg as well. */
  tls: TlsProfileSettings;
  user?: string;
  /** In memory only; never logged. */
  password?: string;
}

export const describeProxy = (proxy: ProxyEndpoint): string => `${proxy.type} proxy ${proxy.host}:${proxy.port}`;
