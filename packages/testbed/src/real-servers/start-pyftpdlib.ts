/**
 * Starts pyftpdlib (Debian's python3-pyftpdlib 1.5.7, TLS_FTPHandler with python3-openssl)
 * on 127.0.0.1 through `pyftpdlib-server.py`. Unlike the C servers it needs no root: it
 * serves the workspace's root folder as the user running the tests, and never chroots.
 *
 * Its configurability covers the encoding and listing cases a Debian server can show:
 * `unicodeErrors: 'surrogateescape'` (default) sends names that are not UTF-8 as their raw
 * bytes, like a server that does not speak UTF-8; `advertiseUtf8: false` drops UTF8 from
 * FEAT; `refuseMlsd: true` keeps MLST in FEAT and answers MLSD with 500.
 */
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { RealServer, RealServerOptions } from './real-server';
import { randomPassword, writeSecretFile } from './login-secrets';
import { pickPassiveRange } from './loopback-ports';
import { DEFAULT_START_TIMEOUT_MS, DEFAULT_USER, runningServer } from './running-server';
import { requireServerBinary } from './server-installation';
import { readServerLog } from './server-log';
import { spawnServer } from './server-process';
import { createServerWorkspace } from './server-workspace';
import { startWithRetry } from './start-with-retry';

export interface PyftpdlibOptions extends RealServerOptions {
  /** How names that are not UTF-8 go on the wire: as their bytes (default) or as `?`. */
  unicodeErrors?: 'surrogateescape' | 'replace';
  /** false: FEAT does not list UTF8 (pyftpdlib always does). Default true. */
  advertiseUtf8?: boolean;
  /** true: MLST stays in FEAT, MLSD is answered `500 Command "MLSD" not understood.` */
  refuseMlsd?: boolean;
  /** false: data connections may be clear (PROT C). Default true. */
  tlsDataRequired?: boolean;
}

/** The script next to this file (the testbed runs from source under jest). */
export const PYFTPDLIB_SCRIPT = path.join(__dirname, 'pyftpdlib-server.py');

export async function startPyftpdlib(options: PyftpdlibOptions): Promise<RealServer> {
  const python = requireServerBinary('pyftpdlib');
  const user = options.user ?? DEFAULT_USER;
  const password = options.password ?? randomPassword();
  const workspace = await createServerWorkspace('pyftpdlib', 'current-user');
  try {
    const passivePorts = await pickPassiveRange();
    const outputFile = workspace.file('pyftpdlib.out');
    const configFile = workspace.file('pyftpdlib.json');
    // PBKDF2-SHA256, checked with Python's hashlib (the crypt module is deprecated, and gone in Python 3.13).
    const salt = randomBytes(16);
    const iterations = 100_000;
    const passwordHash = {
      salt: salt.toString('hex'),
      iterations,
      hash: pbkdf2Sync(password, salt, iterations, 32, 'sha256').toString('hex'),
    };
    const log = (): string => readServerLog([outputFile]);
    const { port, process } = await startWithRetry({
      kind: 'pyftpdlib',
      banner: 'pyftpdlib',
      implicitTls: false,
      certFile: options.tls.certFile,
      timeoutMs: options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS,
      log,
      launch: async (port) => {
        const config = {
          port,
          passivePorts: [passivePorts.min, passivePorts.max],
          user,
          passwordHash,
          root: workspace.root,
          certFile: options.tls.certFile,
          keyFile: options.tls.keyFile,
          tlsDataRequired: options.tlsDataRequired ?? true,
          unicodeErrors: options.unicodeErrors ?? 'surrogateescape',
          advertiseUtf8: options.advertiseUtf8 ?? true,
          refuseMlsd: options.refuseMlsd ?? false,
        };
        await writeSecretFile(configFile, JSON.stringify(config));
        return spawnServer(python, [PYFTPDLIB_SCRIPT, configFile], outputFile, {
          stdin: 'ignore',
          leftovers: [workspace.dir],
        });
      },
    });
    return runningServer({
      kind: 'pyftpdlib',
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
