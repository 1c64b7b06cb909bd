/**
 * Review launchers: pure-ftpd and proftpd as the testbed starts them, plus the extra switches
 * the field uses and the testbed's launchers do not expose (a forced passive address behind
 * NAT, a per-address connection limit, a restricted cipher list, extra proftpd directives).
 * Built from the testbed's own parts, so the servers are the same binaries, users and folders.
 */
import { writeFile } from 'node:fs/promises';
import type { RealServer, ServerTlsFiles } from '../../packages/testbed/src/real-servers';
import { cryptPassword, randomPassword, writeSecretFile } from '../../packages/testbed/src/real-servers/login-secrets';
import { pickPassiveRange } from '../../packages/testbed/src/real-servers/loopback-ports';
import { proftpdConfig } from '../../packages/testbed/src/real-servers/proftpd-config';
import { pureFtpdArguments, purePwLine } from '../../packages/testbed/src/real-servers/pure-ftpd-arguments';
import { runCommand } from '../../packages/testbed/src/real-servers/run-command';
import {
  DEFAULT_START_TIMEOUT_MS,
  DEFAULT_USER,
  runningServer,
} from '../../packages/testbed/src/real-servers/running-server';
import {
  proftpdModuleDir,
  purePwBinary,
  requireServerBinary,
  SERVICE_ACCOUNT,
} from '../../packages/testbed/src/real-servers/server-installation';
import { readServerLog } from '../../packages/testbed/src/real-servers/server-log';
import { spawnServer } from '../../packages/testbed/src/real-servers/server-process';
import { createServerWorkspace } from '../../packages/testbed/src/real-servers/server-workspace';
import { startWithRetry } from '../../packages/testbed/src/real-servers/start-with-retry';

/** pure-ftpd with `extraArguments` appended after the testbed's own (later switches win). */
export async function startPureFtpdWith(
  tls: ServerTlsFiles,
  extraArguments: string[],
  tlsLevel: 2 | 3 = 2,
): Promise<RealServer> {
  const binary = requireServerBinary('pure-ftpd');
  const user = DEFAULT_USER;
  const password = randomPassword();
  const workspace = await createServerWorkspace('pure-ftpd');
  try {
    const { uid, gid } = workspace.account;
    const passwdFile = workspace.file('pureftpd.passwd');
    const puredbFile = workspace.file('pureftpd.pdb');
    await writeSecretFile(passwdFile, purePwLine(user, await cryptPassword(password), uid, gid, workspace.root));
    await runCommand(purePwBinary(), ['mkdb', puredbFile, '-f', passwdFile]);
    const passivePorts = await pickPassiveRange();
    const outputFile = workspace.file('pure-ftpd.out');
    const transferLogFile = workspace.file('transfer.log');
    const log = (): string => readServerLog([outputFile, transferLogFile]);
    const certificate = tls.bundleFile ?? `${tls.certFile},${tls.keyFile}`;
    const { port, process } = await startWithRetry({
      kind: 'pure-ftpd',
      banner: 'Pure-FTPd',
      implicitTls: false,
      certFile: tls.certFile,
      timeoutMs: DEFAULT_START_TIMEOUT_MS,
      log,
      launch: async (port) =>
        spawnServer(
          binary,
          [
            ...pureFtpdArguments({ port, passivePorts, tlsLevel, puredbFile, certificate, transferLogFile }),
            ...extraArguments,
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

/**
 * proftpd (explicit, TLSRequired on unless said) with `extraLines` appended to its proftpd.conf;
 * `tlsProtocol` replaces the testbed's `TLSProtocol TLSv1.2 TLSv1.3` line (proftpd keeps the first).
 */
export async function startProftpdWith(
  tls: ServerTlsFiles,
  extraLines: string[],
  options: { mode?: 'explicit' | 'implicit'; tlsRequired?: 'on' | 'auth+data'; tlsProtocol?: string } = {},
): Promise<RealServer> {
  const binary = requireServerBinary('proftpd');
  const user = DEFAULT_USER;
  const password = randomPassword();
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
    const mode = options.mode ?? 'explicit';
    const { port, process } = await startWithRetry({
      kind: 'proftpd',
      banner: 'ProFTPD',
      implicitTls: mode === 'implicit',
      certFile: tls.certFile,
      timeoutMs: DEFAULT_START_TIMEOUT_MS,
      log,
      async launch(port) {
        const config = proftpdConfig({
          port,
          passivePorts,
          mode,
          tlsRequired: options.tlsRequired ?? 'on',
          hash: true,
          requireSessionReuse: true,
          moduleDir: proftpdModuleDir(),
          serviceAccount: SERVICE_ACCOUNT,
          authUserFile,
          authGroupFile,
          certFile: tls.certFile,
          keyFile: tls.keyFile,
          stateDir: workspace.dir,
        });
        const protocol = options.tlsProtocol
          ? config.replace(/^TLSProtocol .*$/m, `TLSProtocol ${options.tlsProtocol}`)
          : config;
        await writeFile(configFile, `${protocol}${extraLines.join('\n')}\n`, { mode: 0o600 });
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
