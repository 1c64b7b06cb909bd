/** The config builders and the installation checks, without starting any server. */
import { proftpdConfig } from './proftpd-config';
import { pureFtpdArguments, purePwLine } from './pure-ftpd-arguments';
import { findServer, requireRealServers, whyServerUnavailable } from './server-installation';
import { pamServiceText } from './pam-pwdfile-service';
import { vsftpdConfig } from './vsftpd-config';

const passivePorts = { min: 30000, max: 30007 };

test('vsftpd: forced FTPS, no seccomp sandbox, client certificate only when asked', () => {
  const base = {
    port: 2121,
    passivePorts,
    mode: 'explicit' as const,
    root: '/w/root',
    emptyDir: '/w/empty',
    pamService: 'ftpsctl-vsftpd-1-ab',
    serviceAccount: 'ftpsctl',
    certFile: '/p/cert.pem',
    keyFile: '/p/key.pem',
    requireSessionReuse: true,
    logFile: '/w/vsftpd.log',
    transferLogFile: '/w/xferlog',
  };
  const lines = vsftpdConfig(base).split('\n');
  expect(lines).toEqual(
    expect.arrayContaining([
      'listen_address=127.0.0.1',
      'listen_port=2121',
      'background=NO',
      'seccomp_sandbox=NO',
      'implicit_ssl=NO',
    ]),
  );
  expect(lines).toEqual(
    expect.arrayContaining([
      'force_local_logins_ssl=YES',
      'force_local_data_ssl=YES',
      'require_ssl_reuse=YES',
      'pasv_min_port=30000',
      'pasv_max_port=30007',
    ]),
  );
  expect(lines.some((line) => line.startsWith('require_cert'))).toBe(false);
  const mutual = vsftpdConfig({ ...base, mode: 'implicit', clientCaFile: '/p/ca.pem' }).split('\n');
  expect(mutual).toEqual(
    expect.arrayContaining(['implicit_ssl=YES', 'require_cert=YES', 'validate_cert=YES', 'ca_certs_file=/p/ca.pem']),
  );
});

test('vsftpd PAM service checks only the instance password file', () => {
  expect(pamServiceText('vsftpd', '/w/vsftpd.passwd')).toContain(
    'auth required pam_pwdfile.so pwdfile=/w/vsftpd.passwd\n',
  );
});

test('proftpd: TLSOptions and mod_digest follow the settings', () => {
  const base = {
    port: 2121,
    passivePorts,
    mode: 'explicit' as const,
    tlsRequired: 'on' as const,
    hash: true,
    requireSessionReuse: true,
    moduleDir: '/opt/proftpd/usr/lib/proftpd',
    serviceAccount: 'ftpsctl',
    authUserFile: '/w/ftpd.passwd',
    authGroupFile: '/w/ftpd.group',
    certFile: '/p/cert.pem',
    keyFile: '/p/key.pem',
    stateDir: '/w',
  };
  const lines = proftpdConfig(base).split('\n');
  expect(lines).toEqual(
    expect.arrayContaining([
      'TLSRequired on',
      'LoadModule mod_digest.c',
      'DigestOptions NoTransferCache',
      'PassivePorts 30000 30007',
    ]),
  );
  expect(lines.some((line) => line.startsWith('TLSOptions'))).toBe(false);
  const relaxed = proftpdConfig({
    ...base,
    mode: 'implicit',
    tlsRequired: 'auth+data',
    hash: false,
    requireSessionReuse: false,
    clientCaFile: '/p/ca.pem',
  }).split('\n');
  expect(relaxed).toEqual(
    expect.arrayContaining([
      'TLSRequired auth+data',
      'TLSOptions UseImplicitSSL NoSessionReuseRequired',
      'TLSVerifyClient on',
    ]),
  );
  expect(relaxed).not.toContain('LoadModule mod_digest.c');
});

test('pure-ftpd: bound to 127.0.0.1, TLS level and certificate on the command line', () => {
  const args = pureFtpdArguments({
    port: 2121,
    passivePorts,
    tlsLevel: 3,
    puredbFile: '/w/db.pdb',
    certificate: '/p/c.pem,/p/k.pem',
    transferLogFile: '/w/t.log',
  });
  expect(args.join(' ')).toContain('-S 127.0.0.1,2121 -p 30000:30007 -l puredb:/w/db.pdb');
  expect(args.join(' ')).toContain('-Y 3 -2 /p/c.pem,/p/k.pem');
  expect(purePwLine('u', '$6$x$y', 999, 995, '/w/root').trimEnd().split(':')).toHaveLength(18);
  expect(purePwLine('u', '$6$x$y', 999, 995, '/w/root')).toMatch(/^u:\$6\$x\$y:999:995::\/w\/root\/\.\/:/);
});

describe('installation checks', () => {
  const saved = { dir: process.env.FTPSCTL_SERVERS_DIR, required: process.env.FTPSCTL_REQUIRE_REAL_SERVERS };
  afterEach(() => {
    for (const [name, value] of [
      ['FTPSCTL_SERVERS_DIR', saved.dir],
      ['FTPSCTL_REQUIRE_REAL_SERVERS', saved.required],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  test('a missing server is reported with the install script', () => {
    process.env.FTPSCTL_SERVERS_DIR = '/nonexistent/ftpsctl-servers';
    expect(findServer('proftpd')).toBeUndefined();
    expect(whyServerUnavailable('proftpd')).toContain('packages/testbed/install-servers.sh');
  });

  test('FTPSCTL_REQUIRE_REAL_SERVERS=1 and nothing else turns skipping into failing', () => {
    process.env.FTPSCTL_REQUIRE_REAL_SERVERS = '1';
    expect(requireRealServers()).toBe(true);
    process.env.FTPSCTL_REQUIRE_REAL_SERVERS = 'true';
    expect(requireRealServers()).toBe(false);
  });
});
