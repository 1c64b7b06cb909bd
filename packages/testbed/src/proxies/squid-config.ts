/**
 * squid.conf for one HTTPS CONNECT proxy instance, as a pure function: TLS towards the
 * client on 127.0.0.1 only, Basic auth against the instance's password file, CONNECT to
 * 127.0.0.1 (any port: our FTP servers use arbitrary high ports) and nothing else, no cache.
 */
import { BASIC_NCSA_AUTH, SQUID_ACCOUNT } from './proxy-installation';

export interface SquidConfigInput {
  port: number;
  certFile: string;
  keyFile: string;
  passwordFile: string;
  /** The instance folder: pid file, logs and core dumps go here. */
  dir: string;
  pidFile: string;
  cacheLog: string;
  accessLog: string;
}

export const SQUID_REALM = 'ftpsctl-test-proxy';

export function squidConfig(input: SquidConfigInput): string {
  return [
    '# Written by the ftpsctl testbed for one test proxy; safe to delete.',
    `https_port 127.0.0.1:${input.port} tls-cert=${input.certFile} tls-key=${input.keyFile}`,
    `cache_effective_user ${SQUID_ACCOUNT}`,
    `pid_filename ${input.pidFile}`,
    `cache_log ${input.cacheLog}`,
    `access_log stdio:${input.accessLog} squid`,
    'cache_store_log none',
    `coredump_dir ${input.dir}`,
    'logfile_rotate 0',
    // No cache, no neighbours, no ICMP pinger: a tunnel and nothing else.
    'cache deny all',
    'cache_mem 0 MB',
    'netdb_filename none',
    'pinger_enable off',
    // Squid's DNS socket and outgoing connections stay on loopback; it never asks the
    // machine's resolver (targets are IP literals or /etc/hosts names).
    'dns_nameservers 127.0.0.1',
    'udp_incoming_address 127.0.0.1',
    'udp_outgoing_address 127.0.0.1',
    'tcp_outgoing_address 127.0.0.1',
    // Default is 30 s of draining on SIGTERM; tests want the proxy gone at once.
    'shutdown_lifetime 0 seconds',
    'visible_hostname ftpsctl-test-proxy',
    `auth_param basic program ${BASIC_NCSA_AUTH} ${input.passwordFile}`,
    'auth_param basic children 5 startup=1 idle=1',
    `auth_param basic realm ${SQUID_REALM}`,
    'auth_param basic credentialsttl 1 minute',
    'acl authenticated proxy_auth REQUIRED',
    'acl to_loopback dst 127.0.0.1',
    'acl CONNECT method CONNECT',
    // Order matters: credentials first (407), then the target (403).
    'http_access deny !authenticated',
    'http_access allow CONNECT to_loopback',
    'http_access deny all',
    '',
  ].join('\n');
}
