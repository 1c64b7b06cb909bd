/** Starts vsftpd 3.0.3 (Debian's, unpacked) on 127.0.0.1 with FTPS forced for login and data. */
import { mkdir, writeFile } from 'node:fs/promises';
import type { RealServer, RealServerOptions } from './real-server';
import { cryptPassword, randomPassword, writeSecretFile } from './login-secrets';
import { pickPassiveRange } from './loopback-ports';
import { DEFAULT_START_TIMEOUT_MS, DEFAULT_USER, runningServer } from './running-server';
import { requireServerBinary, SERVICE_ACCOUNT } from './server-installation';
import { readServerLog } from './server-log';
import { spawnServer } from './server-process';
import { createServerWorkspace } from './server-workspace';
import { startWithRetry } from './start-with-retry';
import { createPamService, type PamService } from './pam-pwdfile-service';
import { vsftpdConfig } from './vsftpd-config';

export interface VsftpdOptions extends RealServerOptions {
  /** 'explicit': AUTH TLS on a plain connection; 'implicit': TLS from the first byte (ftps://). */
  mode: 'explicit' | 'implicit';
  /** 'required': the client must present a certificate signed by `tls.caFile`; the password is still checked. */
  clientCertificate?: 'required';
  /** require_ssl_reuse: data connections must resume the control session. Default true. */
  requireSessionReuse?: boolean;
}

export async function startVsftpd(options: VsftpdOptions): Promise<RealServer> {
  const binary = requireServerBinary('vsftpd');
  if (options.clientCertificate === 'required' && !options.tls.caFile)
    throw new Error('startVsftpd: clientCertificate needs tls.caFile');
  const user = options.user ?? DEFAULT_USER;
  const password = options.password ?? randomPassword();
  const workspace = await createServerWorkspace('vsftpd');
  let pam: PamService | undefined;
  try {
    const passwordFile = workspace.file('vsftpd.passwd');
    await writeSecretFile(passwordFile, `${user}:${await cryptPassword(password)}\n`);
    pam = await createPamService('vsftpd', passwordFile);
    const pamFile = pam.file;
    const emptyDir = workspace.file('empty');
    await mkdir(emptyDir, { mode: 0o555 });
    const passivePorts = await pickPassiveRange();
    const configFile = workspace.file('vsftpd.conf');
    const outputFile = workspace.file('vsftpd.out');
    const logFile = workspace.file('vsftpd.log');
    const log = (): string => readServerLog([outputFile, logFile]);
    const pamService = pam.name;

    const { port, process } = await startWithRetry({
      kind: 'vsftpd',
      banner: 'vsFTPd',
      implicitTls: options.mode === 'implicit',
      certFile: options.tls.certFile,
      timeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      log,
      async launch(port) {
        const config = vsftpdConfig({
          port,
          passivePorts,
          mode: options.mode,
          root: workspace.root,
          emptyDir,
          pamService,
          serviceAccount: SERVICE_ACCOUNT,
          certFile: options.tls.certFile,
          keyFile: options.tls.keyFile,
          clientCaFile: options.clientCertificate === 'required' ? options.tls.caFile : undefined,
          requireSessionReuse: options.requireSessionReuse ?? true,
          logFile,
          transferLogFile: workspace.file('xferlog'),
        });
        await writeFile(configFile, config, { mode: 0o600 });
        return spawnServer(binary, [configFile], outputFile, { stdin: 'log', leftovers: [workspace.dir, pamFile] });
      },
    });
    const pamToRemove = pam;
    return runningServer({
      kind: 'vsftpd',
      port,
      passivePorts,
      user,
      password,
      root: workspace.root,
      process,
      log,
      cleanups: [() => pamToRemove.remove(), () => workspace.remove()],
    });
  } catch (error) {
    await pam?.remove();
    await workspace.remove();
    throw error;
  }
}
