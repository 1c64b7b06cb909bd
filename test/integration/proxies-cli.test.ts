/**
 * `ftpsctl session ls|put|get` (the built binary) through squid and dante to vsftpd: PROT P
 * with session reuse through the tunnels, the proxy in the audit events, and exit 6 naming
 * the proxy when it refuses the credentials.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startHttpsConnectProxy, startSocks5Proxy, type RunningProxy } from '../../packages/testbed/src/proxies';
import { describeWithProxy } from '../../packages/testbed/src/proxies/describe-with-proxy';
import { startVsftpd, type RealServer } from '../../packages/testbed/src/real-servers';
import { expectExitZero, runCli } from '../helpers/run-cli';

jest.setTimeout(120_000);

let pki: TestPki;
let dir: string;
let server: RealServer | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-proxy-cli-'));
  pki = await createTestPki(path.join(dir, 'pki'));
  mkdirSync(path.join(dir, 'no-policies'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const kinds = [
  [
    'https-connect',
    () => startHttpsConnectProxy({ tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile } }),
  ],
  ['socks5', () => startSocks5Proxy({})],
] as const;

for (const [kind, startProxy] of kinds) {
  describeWithProxy(kind, `ftpsctl session through ${kind}`, () => {
    it('ls, put and get with PROT P against vsftpd; the audit log names the proxy; a wrong proxy password is exit 6', async () => {
      server ??= await startVsftpd({
        mode: 'explicit',
        tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile },
      });
      const proxy: RunningProxy = await startProxy();
      try {
        const profile = path.join(dir, `${kind}.json`);
        writeFileSync(
          profile,
          JSON.stringify({
            name: `via-${kind}`,
            host: '127.0.0.1',
            port: server.port,
            user: server.user,
            password: { env: 'FTP_PW' },
            tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
            proxy: {
              enabled: true,
              type: kind,
              host: '127.0.0.1',
              port: proxy.port,
              serverName: 'localhost',
              ...(kind === 'https-connect' ? { caFile: pki.caFile } : {}),
              authorization: { user: proxy.user, password: { env: 'PROXY_PW' } },
            },
          }),
        );
        const env = { FTP_PW: server.password, PROXY_PW: proxy.password };
        const log = path.join(dir, `${kind}-audit.jsonl`);
        const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
          runCli(['session', ...args, '--policies', path.join(dir, 'no-policies'), '--audit-log', log], {
            env: { ...env, ...extra },
            cwd: dir,
          });
        const payload = randomBytes(300_000);
        writeFileSync(path.join(dir, `${kind}-up.bin`), payload);
        const put = await cli(['put', profile, `${kind}-up.bin`, `${kind}.bin`]);
        expectExitZero(put, 'put');
        expect(sha256(readFileSync(path.join(server.root, `${kind}.bin`)))).toBe(sha256(payload));
        const ls = await cli(['ls', profile, '--json']);
        expectExitZero(ls, 'ls');
        expect(JSON.parse(ls.stdout).entries.map((e: { name: string }) => e.name)).toContain(`${kind}.bin`);
        const get = await cli(['get', profile, `${kind}.bin`, `${kind}-down.bin`, '--json']);
        expectExitZero(get, 'get');
        expect(JSON.parse(get.stdout)).toMatchObject({
          sha256: sha256(payload),
          encrypted: true,
          sessionResumed: true,
        });
        const events = readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line));
        const starts = events.filter((e) => e.event.action === 'session.start');
        expect(starts).toHaveLength(3);
        for (const start of starts)
          expect(start.ftpsctl.proxy).toEqual({
            type: kind,
            address: '127.0.0.1',
            port: proxy.port,
            user: proxy.user,
            proxy_to_host_protection: 'unknown',
          });
        expect(readFileSync(log, 'utf8')).not.toContain(proxy.password);
        const refused = await cli(['ls', profile], { PROXY_PW: 'wrong-proxy-password' });
        expect(refused.code).toBe(6);
        expect(refused.stderr).toContain(
          `the ${kind} proxy 127.0.0.1:${proxy.port} refused the credentials of "${proxy.user}"`,
        );
      } finally {
        await proxy.stop();
      }
    });
  });
}
