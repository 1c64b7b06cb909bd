/**
 * Review (policy bypass): host rules and the address actually dialed (README "Hosts: one
 * canonical form, and the address actually dialed": "`10.0.0.0/8` ... matches an IP host, and
 * every address the session dials"; "a name that resolves to a denied address is refused
 * before connecting (exit 4)").
 *
 * Found:
 *  - `host` 0.0.0.0 (also written `0`) is not in a `127.0.0.0/8` deny, yet on Linux a
 *    connection to 0.0.0.0 reaches the services on 127.0.0.1; for an IP-literal host no dial
 *    rule is kept, so even the peer check after connecting (which sees 127.0.0.1) lets it pass.
 *  - `proxy.host` deny by address or CIDR is matched only on the name as written: a proxy
 *    host NAME that resolves into the denied block is dialed (the proxy dial is not checked).
 *  - `::1`, the README's own example of an address rule, makes the policy file unusable
 *    ("is not a host-name glob"): any IPv6 rule that starts with ":" is refused.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startHostileServer } from '../../packages/testbed/src/hostile-server';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { parsePolicyText } from '../../src/policy/parse-policy';
import { runCli, type CliRun } from '../helpers/run-cli';
import { policyDocument, writePolicyFolder } from '../helpers/policy-folder';

jest.setTimeout(90_000);

let dir: string;
let pki: TestPki;
let machine: string;

beforeAll(async () => {
  if (existsSync('/etc/ftpsctl/policies'))
    throw new Error('these tests stand in for the machine folder with $FTPSCTL_MACHINE_POLICY_DIR');
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-dial-'));
  chmodSync(dir, 0o755);
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
  machine = writePolicyFolder(dir, 'machine', {
    'no-loopback.xml': policyDocument(
      'no-loopback',
      '<setting path="host" enforce="deny"><value>127.0.0.0/8</value><value>::1/128</value></setting>' +
        '<setting path="proxy.host" enforce="deny"><value>127.0.0.0/8</value></setting>',
    ),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function profile(name: string, fields: Record<string, unknown>): string {
  const file = path.join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      user: 'alice',
      password: { env: 'REVIEW_PW' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
      ...fields,
    }),
  );
  return file;
}

const run = (args: string[]): Promise<CliRun> =>
  runCli(args, {
    cwd: dir,
    env: { REVIEW_PW: 'review-secret-2', FTPSCTL_POLICY_DIR: '', FTPSCTL_MACHINE_POLICY_DIR: machine },
  });

describe('host deny 127.0.0.0/8: the loopback services are out of reach', () => {
  it.each(['127.0.0.1', 'localhost', '0.0.0.0', '0', '::ffff:0.0.0.0'])(
    'host %s: exit 4, no connection reaches the server on 127.0.0.1',
    async (host) => {
      const server = await startHostileServer({}, { pki: { cert: pki.server.cert, key: pki.server.key } });
      try {
        const result = await run([
          'session',
          'check',
          profile(`h-${host.replace(/[^A-Za-z0-9.]/g, '-')}`, { host, port: server.port }),
        ]);
        // Found for 0.0.0.0 and 0: the server on 127.0.0.1 gets the control connection (no dial rule is kept for an IP host).
        expect(server.connections).toBe(0);
        expect(result.code).toBe(4);
      } finally {
        await server.stop();
      }
    },
  );
});

describe('proxy.host deny 127.0.0.0/8', () => {
  let proxy: Server;
  let proxyConnections = 0;
  let proxyPort = 0;
  beforeAll(async () => {
    proxy = createServer((socket) => {
      proxyConnections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyPort = (proxy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));

  it.each(['127.0.0.1', 'localhost'])(
    'proxy.host %s: refused (exit 4) before the proxy is dialed',
    async (proxyHost) => {
      const before = proxyConnections;
      const file = profile(`p-${proxyHost}`, {
        host: 'ftp.example.com',
        port: 21,
        proxy: { enabled: true, host: proxyHost, port: proxyPort, caFile: pki.caFile },
      });
      const result = await run(['session', 'check', file]);
      // Found for localhost (resolves to 127.0.0.1): the proxy on 127.0.0.1 is dialed, exit 6.
      expect(proxyConnections - before).toBe(0);
      expect(result.code).toBe(4);
    },
  );
});

describe('IPv6 address rules as the README writes them', () => {
  it.each(['::1', '::ffff:10.0.0.1'])('<value>%s</value> in a host deny is a valid address rule', (rule) => {
    const parsed = parsePolicyText(
      policyDocument('v6', `<setting path="host" enforce="deny"><value>${rule}</value></setting>`),
      'v6.xml',
    );
    // Found: "host deny glob "::1" is not a host-name glob (letters, digits, ".", "-", ":", "*" and "?"), an IP address or a CIDR block".
    expect(parsed.problems).toEqual([]);
  });
});
