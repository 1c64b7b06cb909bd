/** The dialer for a session's proxy settings: https-connect or socks5, over `base` (TCP). */
import { FtpsctlError } from '../../errors';
import { readUserTextFile } from '../../files/read-user-file';
import type { Credentials, EngineSettings } from '../engine-settings';
import type { Dialer } from '../tcp-dialer';
import { httpsConnectDialer } from './https-connect-dialer';
import type { ProxyEndpoint } from './proxy-target';
import { socks5Dialer } from './socks5-dialer';

export async function proxyDialer(settings: EngineSettings, credentials: Credentials, base: Dialer): Promise<Dialer> {
  const proxy = settings.proxy;
  if (!proxy.host || !proxy.port)
    throw new FtpsctlError(
      'FTPSCTL_ERR_PROFILE_INVALID',
      'proxy.enabled is true but proxy.host or proxy.port is missing; set both',
    );
  const endpoint: ProxyEndpoint = {
    type: proxy.type,
    host: proxy.host,
    port: proxy.port,
    serverName: proxy.serverName || proxy.host,
    useSystemTrustStore: settings.tls.pki.useSystemTrustStore,
    tls: settings.tls,
  };
  if (proxy.caFile) {
    // A regular PEM file under its cap, or FTPSCTL_ERR_INPUT_FILE naming proxy.caFile.
    endpoint.caPem = await readUserTextFile(proxy.caFile, 'certificates', { label: 'proxy.caFile' });
  }
  if (proxy.authorization) {
    endpoint.user = proxy.authorization.user;
    if (credentials.proxyPassword !== undefined) endpoint.password = credentials.proxyPassword;
  }
  return proxy.type === 'socks5' ? socks5Dialer(endpoint, base) : httpsConnectDialer(endpoint, base);
}
