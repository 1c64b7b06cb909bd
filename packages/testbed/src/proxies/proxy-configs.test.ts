/** The proxies' config text and log counters, checked without starting a proxy. */
import { dantedConfig } from './danted-config';
import { pamServiceText } from '../real-servers/pam-pwdfile-service';
import { countDanteSessions, countSquidRequests } from './proxy-log-counters';
import { checkProxyLogin } from './proxy-login';
import { squidConfig } from './squid-config';

const squid = squidConfig({
  port: 40001,
  certFile: '/w/cert.pem',
  keyFile: '/w/key.pem',
  passwordFile: '/w/squid.passwd',
  dir: '/w',
  pidFile: '/w/squid.pid',
  cacheLog: '/w/cache.log',
  accessLog: '/w/access.log',
});

describe('squidConfig', () => {
  test('listens with TLS on 127.0.0.1 only, and on nothing else', () => {
    expect(squid).toContain('https_port 127.0.0.1:40001 tls-cert=/w/cert.pem tls-key=/w/key.pem');
    expect(squid).not.toMatch(/^http_port/m);
    expect(squid).toMatch(/^udp_incoming_address 127\.0\.0\.1$/m);
    expect(squid).toMatch(/^dns_nameservers 127\.0\.0\.1$/m);
  });

  test('asks for credentials before it looks at the target, and tunnels to 127.0.0.1 only', () => {
    const rules = squid.split('\n').filter((line) => line.startsWith('http_access'));
    expect(rules).toEqual([
      'http_access deny !authenticated',
      'http_access allow CONNECT to_loopback',
      'http_access deny all',
    ]);
    expect(squid).toMatch(/^acl to_loopback dst 127\.0\.0\.1$/m);
    expect(squid).toContain('auth_param basic program /usr/lib/squid/basic_ncsa_auth /w/squid.passwd');
  });
});

describe('dantedConfig', () => {
  const dante = dantedConfig({ port: 40002, pamService: 'ftpsctl-danted-1-ab', logFile: '/w/danted.log' });

  test('listens and connects out on 127.0.0.1 only', () => {
    expect(dante).toMatch(/^internal: 127\.0\.0\.1 port = 40002$/m);
    expect(dante).toMatch(/^external: 127\.0\.0\.1$/m);
  });

  test('username/password through the instance PAM service, CONNECT to 127.0.0.1 only', () => {
    expect(dante).toMatch(/^socksmethod: pam\.username$/m);
    expect(dante).toContain(
      'socks pass {\n  from: 127.0.0.1/32 to: 127.0.0.1/32\n  command: connect\n  pam.servicename: ftpsctl-danted-1-ab\n',
    );
  });

  test('the PAM service checks the password file and nothing else', () => {
    expect(pamServiceText('danted', '/w/danted.passwd', { nodelay: true })).toContain(
      'auth required pam_pwdfile.so pwdfile=/w/danted.passwd nodelay',
    );
  });
});

describe('log counters', () => {
  test('squid: one line per request, the readiness probe left out', () => {
    const log = [
      '--- access.log ---',
      '1795597356.386     10 127.0.0.1 TCP_TUNNEL/200 99 CONNECT 127.0.0.1:39200 bob HIER_DIRECT/127.0.0.1 -',
      '1795597356.417      5 127.0.0.1 TCP_DENIED/407 3534 CONNECT 127.0.0.1:39200 bob HIER_NONE/- text/html',
      '1795597356.100      0 127.0.0.1 TCP_DENIED/407 3534 CONNECT 127.0.0.1:9 - HIER_NONE/- text/html',
      '',
    ].join('\n');
    expect(countSquidRequests(log)).toBe(2);
  });

  test('dante: one line per ended session, the readiness probe left out', () => {
    const log = [
      'Nov 25 09:05:32 (1795597532.610704) danted[31038]: info: Dante/server[1/1] v1.4.2 running',
      'Nov 25 09:02:51 (1795597371.662730) danted[29876]: info: pass(1): tcp/connect [: pam.username%bob@127.0.0.1.49612 127.0.0.1.39300 -> 127.0.0.1.45101 127.0.0.1.39200',
      'Nov 25 09:02:51 (1795597371.665300) danted[29876]: info: pass(1): tcp/connect ]: 60 -> pam.username%bob@127.0.0.1.49612 127.0.0.1.39300 -> 79, 79 -> 127.0.0.1.45101 127.0.0.1.39200 -> 60: remote peer closed.  Session duration: 0s',
      'Nov 25 09:05:34 (1795597534.509363) danted[31041]: info: block(1): tcp/accept ]: 127.0.0.1.38402 127.0.0.1.39300: error after reading 16 bytes in 0 seconds: pam_authenticate() for user "bob" failed: Authentication failure',
      'Nov 25 09:05:34 (1795597534.509363) danted[31041]: info: block(1): tcp/accept ]: 127.0.0.1.38400 127.0.0.1.39300: error after reading 36 bytes in 0 seconds: pam_authenticate() for user "ftpsctl-readiness-probe" failed: Authentication failure',
    ].join('\n');
    expect(countDanteSessions(log)).toBe(2);
  });
});

describe('checkProxyLogin', () => {
  test('refuses names that would break the password files and the probe user', () => {
    expect(() => checkProxyLogin('a:b', 'x')).toThrow(/proxy user/);
    expect(() => checkProxyLogin('ftpsctl-readiness-probe', 'x')).toThrow(/reserved/);
    expect(() => checkProxyLogin('bob', 'line\nbreak')).toThrow(/password/);
    expect(() => checkProxyLogin('bob', 'spaces, "quotes" and : are fine')).not.toThrow();
  });
});
