/**
 * Where install-proxies.sh put squid and dante, and whether this machine can run them.
 * Both are Debian packages installed with apt (never started as services).
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProxyKind } from './proxy';

export const PROXY_INSTALL_HINT = 'run `sudo bash packages/testbed/install-proxies.sh` (see DEVELOPERS.md)';

const BINARY: Record<ProxyKind, string> = {
  // squid-openssl, or Debian's GnuTLS `squid`: both 5.7 builds serve https_port (measured).
  'https-connect': '/usr/sbin/squid',
  socks5: '/usr/sbin/danted',
};

/** squid's helper that checks Basic credentials against an htpasswd-style file. */
export const BASIC_NCSA_AUTH = '/usr/lib/squid/basic_ncsa_auth';

/** The account Debian's squid switches to (its built-in cache_effective_user). */
export const SQUID_ACCOUNT = 'proxy';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Path of the proxy binary, or undefined when it is not installed. */
export function findProxy(kind: ProxyKind): string | undefined {
  const file = BINARY[kind];
  return executable(file) ? file : undefined;
}

function accountExists(name: string): boolean {
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .some((line) => line.startsWith(`${name}:`));
}

/** Debian keeps PAM modules in the multiarch folder, e.g. /lib/x86_64-linux-gnu/security. */
function pamPwdfileInstalled(): boolean {
  return ['/lib', '/usr/lib'].some(
    (base) =>
      existsSync(base) &&
      readdirSync(base)
        .filter((entry) => entry.endsWith('-linux-gnu'))
        .some((arch) => existsSync(path.join(base, arch, 'security/pam_pwdfile.so'))),
  );
}

/**
 * Why this proxy cannot run here, or undefined when it can. Both need root: squid switches to
 * `proxy`, dante runs PAM as root to read the 0600 password file.
 */
export function whyProxyUnavailable(kind: ProxyKind): string | undefined {
  if (!findProxy(kind)) return `${BINARY[kind]} is not installed: ${PROXY_INSTALL_HINT}`;
  if (process.getuid?.() !== 0)
    return `${kind} proxy tests need root (the proxies switch users and read root-only password files)`;
  if (kind === 'https-connect') {
    if (!executable(BASIC_NCSA_AUTH)) return `${BASIC_NCSA_AUTH} is missing: ${PROXY_INSTALL_HINT}`;
    if (!accountExists(SQUID_ACCOUNT)) return `system user ${SQUID_ACCOUNT} is missing: ${PROXY_INSTALL_HINT}`;
  }
  if (kind === 'socks5' && !pamPwdfileInstalled())
    return `pam_pwdfile (package libpam-pwdfile) is missing: ${PROXY_INSTALL_HINT}`;
  return undefined;
}

/** The binary, or an error that says how to install it. */
export function requireProxyBinary(kind: ProxyKind): string {
  const binary = findProxy(kind);
  if (!binary) throw new Error(`${BINARY[kind]} is not installed: ${PROXY_INSTALL_HINT}`);
  return binary;
}
