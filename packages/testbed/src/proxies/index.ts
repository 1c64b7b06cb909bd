/** Real proxies (squid, dante from Debian) on 127.0.0.1 for the client's "security proxy" tests. */
export type {
  HttpsConnectProxyOptions,
  ProxyKind,
  ProxyOptions,
  ProxyTlsFiles,
  RunningProxy,
  Socks5ProxyOptions,
} from './proxy';
export { ProxyStartError } from './proxy-start-error';
export { startHttpsConnectProxy } from './start-https-connect-proxy';
export { startSocks5Proxy } from './start-socks5-proxy';
export { findProxy, whyProxyUnavailable, PROXY_INSTALL_HINT } from './proxy-installation';
// describeWithProxy is not re-exported: it imports @jest/globals, which throws outside jest.
// Tests import './describe-with-proxy' directly.
