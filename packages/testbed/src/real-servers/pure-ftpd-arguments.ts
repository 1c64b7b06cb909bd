/** pure-ftpd's command line for a test instance (it has no config file), as a pure function. */
import type { PortRange } from './real-server';

export interface PureFtpdArguments {
  port: number;
  passivePorts: PortRange;
  /** -Y 2: TLS for login, PROT C allowed; -Y 3: TLS for login and data. */
  tlsLevel: 2 | 3;
  puredbFile: string;
  /** `cert.pem,key.pem`, or one PEM holding key and certificate. */
  certificate: string;
  transferLogFile: string;
}

export function pureFtpdArguments(settings: PureFtpdArguments): string[] {
  return [
    ['-S', `127.0.0.1,${settings.port}`],
    ['-p', `${settings.passivePorts.min}:${settings.passivePorts.max}`],
    ['-l', `puredb:${settings.puredbFile}`],
    ['-E'], // no anonymous logins
    ['-A'], // chroot every user into its home
    ['-H'], // don't resolve client addresses
    // The default allows 5 sessions, fewer than a parallel-transfer test opens.
    ['-c', '50'],
    ['-C', '50'],
    ['-Y', String(settings.tlsLevel)],
    ['-2', settings.certificate],
    // No syslog here: only transfers are logged, to a file.
    ['-f', 'none'],
    ['-O', `clf:${settings.transferLogFile}`],
  ].flat();
}

/**
 * One line of pure-pw's text database: account:hash:uid:gid:gecos:home + 12 empty limits.
 * `/./` at the end of home marks the chroot point.
 */
export function purePwLine(user: string, hash: string, uid: number, gid: number, home: string): string {
  return `${[user, hash, uid, gid, '', `${home}/./`, ...Array<string>(12).fill('')].join(':')}\n`;
}
