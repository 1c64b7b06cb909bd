/**
 * Starts dante 1.4.2 (Debian's dante-server) on 127.0.0.1 as a SOCKS5 proxy with
 * username/password (RFC 1929) checked by a per-instance PAM service, CONNECT to 127.0.0.1 only.
 */
import { cryptPassword, randomPassword } from '../real-servers/login-secrets';
import { readServerLog } from '../real-servers/server-log';
import { spawnServer } from '../real-servers/server-process';
import { createPamService, type PamService } from '../real-servers/pam-pwdfile-service';
import { dantedConfig } from './danted-config';
import type { RunningProxy, Socks5ProxyOptions } from './proxy';
import { requireProxyBinary } from './proxy-installation';
import { countDanteSessions } from './proxy-log-counters';
import { checkProxyLogin } from './proxy-login';
import { createProxyWorkspace } from './proxy-workspace';
import { DEFAULT_PROXY_START_TIMEOUT_MS, DEFAULT_PROXY_USER, runningProxy } from './running-proxy';
import { socks5ReadinessProbe } from './socks5-readiness-probe';
import { startProxyWithRetry } from './start-proxy-with-retry';

export async function startSocks5Proxy(options: Socks5ProxyOptions = {}): Promise<RunningProxy> {
  const binary = requireProxyBinary('socks5');
  const user = options.user ?? DEFAULT_PROXY_USER;
  const password = options.password ?? randomPassword();
  checkProxyLogin(user, password);
  // dante keeps root for PAM (user.privileged), so the folder stays root's.
  const workspace = await createProxyWorkspace('socks5');
  let pam: PamService | undefined;
  try {
    const passwordFile = await workspace.writeOwnedSecret(
      'danted.passwd',
      `${user}:${await cryptPassword(password)}\n`,
    );
    pam = await createPamService('danted', passwordFile, { nodelay: true });
    const configFile = workspace.file('danted.conf');
    const outputFile = workspace.file('danted.out');
    const logFile = workspace.file('danted.log');
    const log = (): string => readServerLog([outputFile, logFile]);
    const pamService = pam.name;
    const pamFile = pam.file;

    const { port, process } = await startProxyWithRetry({
      kind: 'socks5',
      probe: socks5ReadinessProbe,
      timeoutMs: options.startTimeoutMs ?? DEFAULT_PROXY_START_TIMEOUT_MS,
      log,
      async launch(port) {
        await workspace.writeOwnedSecret('danted.conf', dantedConfig({ port, pamService, logFile }));
        // No -D: dante stays in the foreground; -N 1: one mother process.
        return spawnServer(binary, ['-f', configFile, '-N', '1', '-p', workspace.file('danted.pid')], outputFile, {
          stdin: 'ignore',
          leftovers: [workspace.dir, pamFile],
        });
      },
    });
    const pamToRemove = pam;
    return runningProxy({
      kind: 'socks5',
      port,
      user,
      password,
      process,
      log,
      countConnections: () => countDanteSessions(readServerLog([logFile])),
      cleanups: [() => pamToRemove.remove(), () => workspace.remove()],
    });
  } catch (error) {
    await pam?.remove();
    await workspace.remove();
    throw error;
  }
}
