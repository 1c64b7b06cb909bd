/**
 * Where packages/testbed/install-servers.sh put the unpacked Debian servers, and whether
 * this machine can run them. The folder layout is the packages' own (`dpkg -x`).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RealServerKind } from './real-server';

export const INSTALL_HINT = 'run `sudo bash packages/testbed/install-servers.sh` (see DEVELOPERS.md)';

/** The system account install-servers.sh creates; every test login maps to it. */
export const SERVICE_ACCOUNT = 'ftpsctl';

export function serversDir(): string {
  return process.env.FTPSCTL_SERVERS_DIR ?? '/opt/ftpsctl-servers';
}

const BINARY: Record<Exclude<RealServerKind, 'pyftpdlib'>, string> = {
  vsftpd: 'vsftpd/usr/sbin/vsftpd',
  proftpd: 'proftpd/usr/sbin/proftpd',
  'pure-ftpd': 'pure-ftpd/usr/sbin/pure-ftpd',
};

/** pyftpdlib is Debian's python3-pyftpdlib on Debian's own Python (a pyenv or venv python lacks it). */
export const PYFTPDLIB_HINT = 'run `sudo apt-get install -y python3-pyftpdlib python3-openssl` (see DEVELOPERS.md)';

/** The Python that has Debian's packages: FTPSCTL_PYTHON, else /usr/bin/python3. */
export function pythonBinary(): string {
  return process.env.FTPSCTL_PYTHON ?? '/usr/bin/python3';
}

let pyftpdlibProblem: string | undefined | null = null;

/** Why pyftpdlib (with TLS: pyOpenSSL) can't be imported, or undefined when it can; asked once per process. */
function whyPyftpdlibUnavailable(): string | undefined {
  if (pyftpdlibProblem !== null) return pyftpdlibProblem;
  const python = pythonBinary();
  if (!executable(python)) return (pyftpdlibProblem = `${python} is missing: ${PYFTPDLIB_HINT}`);
  const check = spawnSync(python, ['-c', 'import pyftpdlib.handlers, OpenSSL; pyftpdlib.handlers.TLS_FTPHandler'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  pyftpdlibProblem =
    check.status === 0
      ? undefined
      : `pyftpdlib with TLS is not importable by ${python} (${(check.stderr || check.error?.message || 'no output').trim().split('\n').pop()}): ${PYFTPDLIB_HINT}`;
  return pyftpdlibProblem;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Path of the unpacked server binary, or undefined when it is not installed. */
export function findServer(kind: RealServerKind): string | undefined {
  if (kind === 'pyftpdlib') return whyPyftpdlibUnavailable() === undefined ? pythonBinary() : undefined;
  const file = path.join(serversDir(), BINARY[kind]);
  return executable(file) ? file : undefined;
}

/** Under FTPSCTL_REQUIRE_REAL_SERVERS=1 (CI) a missing server fails the suite instead of skipping it. */
export function requireRealServers(): boolean {
  return process.env.FTPSCTL_REQUIRE_REAL_SERVERS === '1';
}

/** proftpd's DSO folder; mod_tls comes from proftpd-mod-crypto, mod_digest from proftpd-core. */
export function proftpdModuleDir(): string {
  return path.join(serversDir(), 'proftpd/usr/lib/proftpd');
}

/** pure-pw, which compiles pure-ftpd's virtual-user database. */
export function purePwBinary(): string {
  return path.join(serversDir(), 'pure-ftpd/usr/bin/pure-pw');
}

function serviceAccountExists(): boolean {
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .some((line) => line.startsWith(`${SERVICE_ACCOUNT}:`));
}

/**
 * Why this server cannot run here, or undefined when it can. The servers bind, chroot and
 * switch users, so they need root; vsftpd also needs pam_pwdfile (installed by the script).
 */
export function whyServerUnavailable(kind: RealServerKind): string | undefined {
  // pyftpdlib runs as the test user and never chroots: it needs neither root nor the service account.
  if (kind === 'pyftpdlib') return whyPyftpdlibUnavailable();
  if (!findServer(kind)) return `${kind} is not installed in ${serversDir()}: ${INSTALL_HINT}`;
  if (process.getuid?.() !== 0) return `${kind} tests need root (the servers chroot and switch users)`;
  if (!serviceAccountExists()) return `system user ${SERVICE_ACCOUNT} is missing: ${INSTALL_HINT}`;
  if (kind === 'vsftpd' && !pamPwdfileInstalled())
    return `pam_pwdfile (package libpam-pwdfile) is missing: ${INSTALL_HINT}`;
  return undefined;
}

/** Debian keeps PAM modules in the multiarch folder, e.g. /lib/x86_64-linux-gnu/security. */
function pamPwdfileInstalled(): boolean {
  return ['/lib', '/usr/lib'].some((base) =>
    readdirSync(base)
      .filter((entry) => entry.endsWith('-linux-gnu'))
      .some((arch) => existsSync(path.join(base, arch, 'security/pam_pwdfile.so'))),
  );
}

/** The binary, or an error that says how to install it. */
export function requireServerBinary(kind: RealServerKind): string {
  if (kind === 'pyftpdlib') {
    const problem = whyPyftpdlibUnavailable();
    if (problem) throw new Error(problem);
    return pythonBinary();
  }
  const binary = findServer(kind);
  if (!binary) throw new Error(`${kind} is not installed in ${serversDir()}: ${INSTALL_HINT}`);
  return binary;
}
