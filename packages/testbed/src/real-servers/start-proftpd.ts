/** Starts proftpd 1.3.8 with mod_tls (Debian's, unpacked) on 127.0.0.1, in the foreground (`-n`). */
import { writeFile } from 'node:fs/promises';
import type { RealServer, RealServerOptions } from './real-server';
import { cryptPassword, randomPassword, writeSecretFile } from './login-secrets';
import { pickPassiveRange } from './loopback-ports';
import { proftpdConfig, type ProftpdTlsRequired } from './proftpd-config';
import { DEFAULT_START_TIMEOUT_MS, DEFAULT_USER, runningServer } from './running-server';
import { proftpdModuleDir, requireServerBinary, SERVICE_ACCOUNT } from './server-installation';
import { readServerLog } from './server-log';
import { spawnServer } from './server-process';
import { createServerWorkspace } from './server-workspace';
import { startWithRetry } from './start-with-retry';

export interface ProftpdOptions extends RealServerOptions {
  /** Default 'explicit'. 'implicit' is TLSOptions UseImplicitSSL. */
  mode?: 'explicit' | 'implicit';
  /** 'on': CCC refused with 534, PROT C refused; 'auth+data': CCC accepted. */
  tlsRequired: ProftpdTlsRequired;
  /** mod_digest (HASH, XCRC, XMD5, XSHA1/256/512). Default true. */
  hash?: boolean;
  /** 'required': TLSVerifyClient on, client certificate signed by `tls.caFile`. */
  clientCertificate?: 'required';
  /** Data connections must resume the control session (mod_tls default). Default true. */
  requireSessionReuse?: boolean;
}

export async function startProftpd(options: ProftpdOptions): Promise<RealServer> {
  const binary = requireServerBinary('proftpd');
  if (options.clientCertificate === 'required' && !options.tls.caFile)
    throw new Error('startProftpd: clientCertificate needs tls.caFile');
  const user = options.user ?? DEFAULT_USER;
  const password = options.password ?? randomPassword();
  const workspace = await createServerWorkspace('proftpd');
  try {
    const { uid, gid } = workspace.account;
    const authUserFile = workspace.file('ftpd.passwd');
    await writeSecretFile(
      authUserFile,
      `${user}:${await cryptPassword(password)}:${uid}:${gid}::${workspace.root}:/bin/false\n`,
    );
    const authGroupFile = workspace.file('ftpd.group');
    await writeFile(authGroupFile, `${SERVICE_ACCOUNT}:x:${gid}:\n`);
    const passivePorts = await pickPassiveRange();
    const configFile = workspace.file('proftpd.conf');
    const outputFile = workspace.file('proftpd.out');
    const log = (): string => readServerLog([outputFile, workspace.file('proftpd.log'), workspace.file('tls.log')]);

    const { port, process } = await startWithRetry({
      kind: 'proftpd',
      banner: 'ProFTPD',
      implicitTls: options.mode === 'implicit',
      certFile: options.tls.certFile,
      timeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      log,
      async launch(port) {
        const config = proftpdConfig({
          port,
          passivePorts,
          mode: options.mode ?? 'explicit',
          tlsRequired: options.tlsRequired,
          hash: options.hash ?? true,
          clientCaFile: options.clientCertificate === 'required' ? options.tls.caFile : undefined,
          requireSessionReuse: options.requireSessionReuse ?? true,
          moduleDir: proftpdModuleDir(),
          serviceAccount: SERVICE_ACCOUNT,
          authUserFile,
          authGroupFile,
          certFile: options.tls.certFile,
          keyFile: options.tls.keyFile,
          stateDir: workspace.dir,
        });
        await writeFile(configFile, config, { mode: 0o600 });
        return spawnServer(binary, ['-n', '-c', configFile], outputFile, {
          stdin: 'ignore',
          leftovers: [workspace.dir],
        });
      },
    });
    return runningServer({
      kind: 'proftpd',
      port,
      passivePorts,
      user,
      password,
      root: workspace.root,
      process,
      log,
      cleanups: [() => workspace.remove()],
    });
  } catch (error) {
    await workspace.remove();
    throw error;
  }
}
