/** Starts pure-ftpd 1.0.50 (Debian's, unpacked) on 127.0.0.1 with virtual users from a PureDB. */
import type { RealServer, RealServerOptions } from './real-server';
import { cryptPassword, randomPassword, writeSecretFile } from './login-secrets';
import { pickPassiveRange } from './loopback-ports';
import { pureFtpdArguments, purePwLine } from './pure-ftpd-arguments';
import { runCommand } from './run-command';
import { DEFAULT_START_TIMEOUT_MS, DEFAULT_USER, runningServer } from './running-server';
import { purePwBinary, requireServerBinary } from './server-installation';
import { readServerLog } from './server-log';
import { spawnServer } from './server-process';
import { createServerWorkspace } from './server-workspace';
import { startWithRetry } from './start-with-retry';

export interface PureFtpdOptions extends RealServerOptions {
  /** 2: TLS required for login, data may be clear (PROT C); 3: TLS required for login and data. */
  tlsLevel: 2 | 3;
  /** Switches appended after the testbed's own (later ones win): `-P 10.1.2.3` (a NAT address in PASV), `-C 2`. */
  extraArguments?: string[];
}

export async function startPureFtpd(options: PureFtpdOptions): Promise<RealServer> {
  const binary = requireServerBinary('pure-ftpd');
  const user = options.user ?? DEFAULT_USER;
  const password = options.password ?? randomPassword();
  const workspace = await createServerWorkspace('pure-ftpd');
  try {
    const { uid, gid } = workspace.account;
    const passwdFile = workspace.file('pureftpd.passwd');
    const puredbFile = workspace.file('pureftpd.pdb');
    await writeSecretFile(passwdFile, purePwLine(user, await cryptPassword(password), uid, gid, workspace.root));
    // mkdb reads the hash from the file: no secret on the command line.
    await runCommand(purePwBinary(), ['mkdb', puredbFile, '-f', passwdFile]);
    const passivePorts = await pickPassiveRange();
    const outputFile = workspace.file('pure-ftpd.out');
    const transferLogFile = workspace.file('transfer.log');
    const log = (): string => readServerLog([outputFile, transferLogFile]);
    // 1.0.50 takes `-2 cert,key`; a bundle (key + cert in one PEM) works as well.
    const certificate = options.tls.bundleFile ?? `${options.tls.certFile},${options.tls.keyFile}`;

    const { port, process } = await startWithRetry({
      kind: 'pure-ftpd',
      banner: 'Pure-FTPd',
      implicitTls: false,
      certFile: options.tls.certFile,
      timeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      log,
      launch: async (port) =>
        spawnServer(
          binary,
          [
            ...pureFtpdArguments({
              port,
              passivePorts,
              tlsLevel: options.tlsLevel,
              puredbFile,
              certificate,
              transferLogFile,
            }),
            ...(options.extraArguments ?? []),
          ],
          outputFile,
          { stdin: 'ignore', leftovers: [workspace.dir] },
        ),
    });
    return runningServer({
      kind: 'pure-ftpd',
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
