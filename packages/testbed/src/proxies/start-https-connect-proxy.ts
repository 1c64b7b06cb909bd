/**
 * Starts squid 5.7 (Debian's squid-openssl) on 127.0.0.1 as an HTTPS CONNECT proxy: TLS from
 * the client with the given certificate (squid's own https_port, no stunnel), Basic auth,
 * tunnels to 127.0.0.1 only.
 */
import { readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { cryptPassword, randomPassword } from '../real-servers/login-secrets';
import { readServerLog } from '../real-servers/server-log';
import { spawnServer } from '../real-servers/server-process';
import type { HttpsConnectProxyOptions, RunningProxy } from './proxy';
import { requireProxyBinary, SQUID_ACCOUNT } from './proxy-installation';
import { countSquidRequests } from './proxy-log-counters';
import { createProxyWorkspace } from './proxy-workspace';
import { DEFAULT_PROXY_START_TIMEOUT_MS, DEFAULT_PROXY_USER, runningProxy } from './running-proxy';
import { squidConfig } from './squid-config';
import { squidReadinessProbe } from './squid-readiness-probe';
import { startProxyWithRetry } from './start-proxy-with-retry';
import { checkProxyLogin } from './proxy-login';

export async function startHttpsConnectProxy(options: HttpsConnectProxyOptions): Promise<RunningProxy> {
  const binary = requireProxyBinary('https-connect');
  const user = options.user ?? DEFAULT_PROXY_USER;
  const password = options.password ?? randomPassword();
  checkProxyLogin(user, password);
  const certificatePem = await readFile(options.tls.certFile);
  const workspace = await createProxyWorkspace('https-connect', SQUID_ACCOUNT);
  try {
    // basic_ncsa_auth runs as `proxy` and takes modern crypt(3) hashes (`$6$`).
    const passwordFile = await workspace.writeOwnedSecret('squid.passwd', `${user}:${await cryptPassword(password)}\n`);
    // Copies, so the test's key may stay root-only wherever it is.
    const certFile = await workspace.writeOwnedSecret('proxy-cert.pem', certificatePem);
    const keyFile = await workspace.writeOwnedSecret('proxy-key.pem', await readFile(options.tls.keyFile));
    const configFile = workspace.file('squid.conf');
    const outputFile = workspace.file('squid.out');
    const cacheLog = workspace.file('cache.log');
    const accessLog = workspace.file('access.log');
    const log = (): string => readServerLog([outputFile, cacheLog, accessLog]);
    const readAccessLog = (): string => readServerLog([accessLog]);

    const { port, process } = await startProxyWithRetry({
      kind: 'https-connect',
      probe: squidReadinessProbe(new X509Certificate(certificatePem)),
      timeoutMs: options.startTimeoutMs ?? DEFAULT_PROXY_START_TIMEOUT_MS,
      log,
      async launch(port) {
        const config = squidConfig({
          port,
          certFile,
          keyFile,
          passwordFile,
          dir: workspace.dir,
          pidFile: workspace.file('squid.pid'),
          cacheLog,
          accessLog,
        });
        await workspace.writeOwnedSecret('squid.conf', config);
        // -N: foreground, no kid processes, so the process group is the whole proxy.
        return spawnServer(binary, ['-N', '-f', configFile], outputFile, {
          stdin: 'ignore',
          leftovers: [workspace.dir],
          terminate: 'leader',
        });
      },
    });
    return runningProxy({
      kind: 'https-connect',
      port,
      user,
      password,
      process,
      log,
      countConnections: () => countSquidRequests(readAccessLog()),
      cleanups: [() => workspace.remove()],
    });
  } catch (error) {
    await workspace.remove();
    throw error;
  }
}
