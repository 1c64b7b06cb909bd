/** The proxy as the engine sees it: where it is, how to trust it, who we are to it. */
export interface ProxyEndpoint {
  type: 'https-connect' | 'socks5';
  host: string;
  port: number;
  /** Name to verify in the proxy's certificate and send as SNI (https-connect). */
  serverName: string;
  /** PEM of proxy.caFile; without it the system trust store is used. */
  caPem?: string;
  user?: string;
  /** In memory only; never logged. */
  password?: string;
}

export const describeProxy = (proxy: ProxyEndpoint): string => `${proxy.type} proxy ${proxy.host}:${proxy.port}`;
