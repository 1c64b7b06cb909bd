/**
 * Review (outside in): secrets a hostile peer sends back. README: "No password, passphrase or key
 * ever reaches a log line, an audit event, an error message". Echoed passwords are redacted as
 * sent (test/hardening/echoed-secrets.test.ts); these forms are not:
 *
 * - An https-connect proxy that answers CONNECT with a status whose reason phrase repeats the
 *   request's Proxy-Authorization header: the message quotes the reason, and the header's
 *   base64 of `user:password` is not a registered secret, so the proxy password is printed
 *   (stderr, `--json`) and written to the audit log.
 * - A password shorter than 4 characters (MIN_REDACTED_LENGTH) echoed in a 530: not redacted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-secrets-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A TLS "proxy" that answers every CONNECT with 403 and the Proxy-Authorization line as its reason. */
async function echoingProxy(): Promise<{ server: Server; port: number }> {
  const server = createServer({ cert: pki.server.cert, key: pki.server.key }, (socket: TLSSocket) => {
    let request = '';
    socket.on('data', (chunk: Buffer) => {
      request += chunk.toString('latin1');
      if (!request.includes('\r\n\r\n')) return;
      const header = request.split('\r\n').find((line) => /^proxy-authorization:/i.test(line)) ?? 'none';
      socket.end(`HTTP/1.1 403 Forbidden (${header})\r\nContent-Length: 0\r\n\r\n`);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('secrets echoed in forms that are not redacted', () => {
  it('a proxy whose 403 reason repeats Proxy-Authorization: the proxy password shows nowhere', async () => {
    const proxyPassword = 'Proxy-Pw-5c1e9a';
    const encoded = Buffer.from(`treasury:${proxyPassword}`).toString('base64');
    const { server, port } = await echoingProxy();
    try {
      const profile = path.join(dir, 'proxied.json');
      writeFileSync(
        profile,
        JSON.stringify({
          name: 'proxied',
          host: 'ftp.example.com',
          user: 'alice',
          password: { env: 'FTP_PW' },
          proxy: {
            enabled: true,
            type: 'https-connect',
            host: '127.0.0.1',
            port,
            serverName: 'localhost',
            caFile: pki.caFile,
            authorization: { user: 'treasury', password: { env: 'PROXY_PW' } },
          },
        }),
      );
      const audit = path.join(dir, 'proxied.jsonl');
      const env = { FTP_PW: 'ftp-password-1', PROXY_PW: proxyPassword };
      const text = await runBounded(['session', 'check', profile, '--audit-log', audit], { cwd: dir, env });
      const json = await runBounded(['session', 'check', profile, '--audit-log', audit, '--json'], { cwd: dir, env });
      expect(text.code).toBe(6);
      expect(json.code).toBe(6);
      const everything = [text.stdout, text.stderr, json.stdout, json.stderr, readFileSync(audit, 'utf8')].join('\n');
      expect(everything).toContain('403');
      expect(everything).not.toContain(encoded);
      expect(everything).not.toContain(proxyPassword);
    } finally {
      server.close();
    }
  });

  it('a 3-character password echoed in a 530 is not shown', async () => {
    await withHostileProfile(
      { dir, pki, name: 'short-pw', passwordEnv: 'SHORT_PW' },
      { replies: { PASS: (command) => `530 Login incorrect: password ${command.argument} is wrong` } },
      async (profile) => {
        const audit = path.join(dir, 'short-pw.jsonl');
        const run = await runBounded(['session', 'check', profile, '--audit-log', audit, '--json'], {
          cwd: dir,
          env: { SHORT_PW: 'k9Z' },
        });
        expect(run.code).toBe(6);
        expect(run.stdout + run.stderr + readFileSync(audit, 'utf8')).not.toContain('password k9Z is wrong');
      },
    );
  });
});
