/**
 * vsftpd.conf for a test instance, as a pure function of the settings.
 *
 * Logins: vsftpd authenticates only through PAM, so each instance gets its own PAM service
 * (pam-pwdfile-service.ts) checking a password file with pam_pwdfile; the login is a
 * "guest" mapped to the service account, chrooted into the served root.
 */
import type { PortRange } from './real-server';

export interface VsftpdConfig {
  port: number;
  passivePorts: PortRange;
  mode: 'explicit' | 'implicit';
  root: string;
  /** An empty folder vsftpd chroots its unprivileged helper into. */
  emptyDir: string;
  pamService: string;
  serviceAccount: string;
  certFile: string;
  keyFile: string;
  /** Set to require a client certificate signed by this CA. */
  clientCaFile?: string;
  requireSessionReuse: boolean;
  logFile: string;
  transferLogFile: string;
}

const yesNo = (value: boolean): string => (value ? 'YES' : 'NO');

export function vsftpdConfig(config: VsftpdConfig): string {
  const lines = [
    'listen=YES',
    'listen_ipv6=NO',
    'listen_address=127.0.0.1',
    `listen_port=${config.port}`,
    'background=NO',
    // The default sandbox kills sessions at the TLS handshake on this kernel (SIGSYS on getrandom).
    'seccomp_sandbox=NO',
    'anonymous_enable=NO',
    'local_enable=YES',
    'write_enable=YES',
    'local_umask=022',
    'guest_enable=YES',
    `guest_username=${config.serviceAccount}`,
    'virtual_use_local_privs=YES',
    `local_root=${config.root}`,
    'chroot_local_user=YES',
    'allow_writeable_chroot=YES',
    `secure_chroot_dir=${config.emptyDir}`,
    `pam_service_name=${config.pamService}`,
    'pasv_enable=YES',
    'port_enable=YES',
    `pasv_min_port=${config.passivePorts.min}`,
    `pasv_max_port=${config.passivePorts.max}`,
    'ssl_enable=YES',
    `implicit_ssl=${yesNo(config.mode === 'implicit')}`,
    'force_local_logins_ssl=YES',
    'force_local_data_ssl=YES',
    `require_ssl_reuse=${yesNo(config.requireSessionReuse)}`,
    // 3.0.3 knows only ssl_tlsv1 (TLS 1.0, which OpenSSL 3 refuses anyway); TLS 1.2 and 1.3 are always on.
    'ssl_sslv2=NO',
    'ssl_sslv3=NO',
    'ssl_tlsv1=NO',
    `rsa_cert_file=${config.certFile}`,
    `rsa_private_key_file=${config.keyFile}`,
    'use_localtime=NO',
    'xferlog_enable=YES',
    `xferlog_file=${config.transferLogFile}`,
    `vsftpd_log_file=${config.logFile}`,
    'dual_log_enable=YES',
    'log_ftp_protocol=YES',
    'debug_ssl=YES',
  ];
  if (config.clientCaFile) {
    lines.push('require_cert=YES', 'validate_cert=YES', `ca_certs_file=${config.clientCaFile}`);
  }
  return `${lines.join('\n')}\n`;
}
