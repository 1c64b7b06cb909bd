/**
 * danted.conf for one SOCKS5 proxy instance, as a pure function: listens and connects out
 * on 127.0.0.1 only, RFC 1929 username/password checked by the instance's own PAM service,
 * CONNECT to 127.0.0.1 (any port) and nothing else.
 */

export interface DantedConfigInput {
  port: number;
  /** The per-instance PAM service (see real-servers/pam-pwdfile-service.ts). */
  pamService: string;
  logFile: string;
}

export function dantedConfig(input: DantedConfigInput): string {
  const pam = `  pam.servicename: ${input.pamService}`;
  return [
    '# Written by the ftpsctl testbed for one test proxy; safe to delete.',
    `logoutput: ${input.logFile}`,
    `internal: 127.0.0.1 port = ${input.port}`,
    'external: 127.0.0.1',
    'clientmethod: none',
    // RFC 1929 username/password, checked through PAM (dante 1.4 calls the method pam.username).
    'socksmethod: pam.username',
    // PAM runs privileged so pam_pwdfile can read the root-only password file.
    'user.privileged: root',
    'user.unprivileged: nobody',
    'client pass {',
    '  from: 127.0.0.1/32 to: 127.0.0.1/32',
    '  log: error',
    '}',
    'socks pass {',
    '  from: 127.0.0.1/32 to: 127.0.0.1/32',
    '  command: connect',
    pam,
    '  log: connect disconnect error',
    '}',
    // The same service here, so a refused target is logged as refused, not as a PAM failure
    // against the default service `sockd`.
    'socks block {',
    '  from: 0.0.0.0/0 to: 0.0.0.0/0',
    pam,
    '  log: connect error',
    '}',
    '',
  ].join('\n');
}
