/**
 * proftpd.conf for a test instance, as a pure function of the settings. Logins come from
 * an AuthUserFile (virtual users with a crypt hash), never PAM or /etc/passwd.
 */
import type { PortRange } from './real-server';

export type ProftpdTlsRequired = 'on' | 'auth+data';

export interface ProftpdConfig {
  port: number;
  passivePorts: PortRange;
  mode: 'explicit' | 'implicit';
  /** 'on': control and data must be protected, CCC refused (534); 'auth+data': CCC allowed. */
  tlsRequired: ProftpdTlsRequired;
  /** Load mod_digest: HASH, XCRC, XMD5, XSHA*. */
  hash: boolean;
  clientCaFile?: string;
  requireSessionReuse: boolean;
  moduleDir: string;
  serviceAccount: string;
  authUserFile: string;
  authGroupFile: string;
  certFile: string;
  keyFile: string;
  /** Folder for the pid file, scoreboard and logs. */
  stateDir: string;
}

export function proftpdConfig(config: ProftpdConfig): string {
  const state = (name: string): string => `${config.stateDir}/${name}`;
  const tlsOptions = [
    ...(config.mode === 'implicit' ? ['UseImplicitSSL'] : []),
    ...(config.requireSessionReuse ? [] : ['NoSessionReuseRequired']),
  ];
  const lines = [
    'ServerType standalone',
    'ServerName "ftpsctl test proftpd"',
    'DefaultAddress 127.0.0.1',
    'SocketBindTight on',
    'UseIPv6 off',
    `Port ${config.port}`,
    `PassivePorts ${config.passivePorts.min} ${config.passivePorts.max}`,
    `User ${config.serviceAccount}`,
    `Group ${config.serviceAccount}`,
    `PidFile ${state('proftpd.pid')}`,
    `ScoreboardFile ${state('proftpd.scoreboard')}`,
    'DelayTable none',
    'WtmpLog off',
    'UseReverseDNS off',
    'UseFtpUsers off',
    `SystemLog ${state('proftpd.log')}`,
    `TransferLog ${state('xferlog')}`,
    'AuthPAM off',
    'AuthOrder mod_auth_file.c',
    `AuthUserFile ${config.authUserFile}`,
    `AuthGroupFile ${config.authGroupFile}`,
    'RequireValidShell off',
    'DefaultRoot ~',
    'Umask 022',
    'AllowOverwrite on',
    // Resumable uploads (REST + STOR, APPE): off by default in proftpd.
    'AllowStoreRestart on',
    `ModulePath ${config.moduleDir}`,
    'LoadModule mod_tls.c',
    'TLSEngine on',
    `TLSLog ${state('tls.log')}`,
    'TLSProtocol TLSv1.2 TLSv1.3',
    `TLSRequired ${config.tlsRequired}`,
    `TLSRSACertificateFile ${config.certFile}`,
    `TLSRSACertificateKeyFile ${config.keyFile}`,
    ...(tlsOptions.length > 0 ? [`TLSOptions ${tlsOptions.join(' ')}`] : []),
  ];
  if (config.clientCaFile) lines.push('TLSVerifyClient on', `TLSCACertificateFile ${config.clientCaFile}`);
  else lines.push('TLSVerifyClient off');
  if (config.hash) {
    // NoTransferCache: don't hash every transfer in case a HASH command follows.
    lines.push('LoadModule mod_digest.c', 'DigestEngine on', 'DigestOptions NoTransferCache');
  }
  return `${lines.join('\n')}\n`;
}
