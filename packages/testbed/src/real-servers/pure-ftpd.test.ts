/**
 * pure-ftpd 1.0.50 as Debian ships it, proven with curl 7.88. What these tests found:
 * implicit no (not built in); CCC accepted (200, even at -Y 3; curl needs
 * --ftp-ssl-ccc-mode active, its passive mode hangs); TLS 1.3 yes; EPSV yes; MLSD/MLST yes;
 * HASH no (500); PROT C allowed at -Y 2, at -Y 3 accepted but the transfer refused (521);
 * session reuse not required (--no-sessionid works).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../../../src/loopback/pki';
import { curlRoundTrip } from './curl-round-trip';
import { describeWithServer } from './describe-with-server';
import type { RealServer } from './real-server';
import { assertCurlSucceeded, runCurl } from './run-curl';
import { startPureFtpd } from './start-pure-ftpd';

jest.setTimeout(30_000);

let scratch: string;
let pki: TestPki;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'ftpsctl-pure-ftpd-test-'));
  pki = await createTestPki(path.join(scratch, 'pki'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const explicit = (): string[] => ['--ssl-reqd', '--cacert', pki.caFile];
const HELLO = 'hello from pure-ftpd\n';

describeWithServer('pure-ftpd', 'pure-ftpd -Y 2 (TLS login, PROT C allowed)', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startPureFtpd({ tlsLevel: 2, tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile } });
    await writeFile(path.join(server.root, 'hello.txt'), HELLO);
  });
  afterAll(() => server?.stop());

  test('lists the root over TLS 1.3 with EPSV', async () => {
    const result = await runCurl(server, { path: '/', args: explicit() });
    assertCurlSucceeded(result, server);
    expect(result.stdout.toString()).toContain('hello.txt');
    expect(result.verbose).toContain('SSL connection using TLSv1.3');
    expect(result.commands).toContain('EPSV');
  });

  test('uploads and downloads a file with equal SHA-256', async () => {
    await curlRoundTrip(server, { scheme: 'ftp', curlArgs: explicit() });
  });

  test('allows clear data connections after PROT C', async () => {
    const result = await runCurl(server, { path: '/hello.txt', args: ['--ftp-ssl-control', '--cacert', pki.caFile] });
    assertCurlSucceeded(result, server);
    expect(result.replies).toContain('200 Data protection level set to "clear"');
    expect(result.stdout.toString()).toBe(HELLO);
  });

  test('accepts CCC (curl in active CCC mode)', async () => {
    const result = await runCurl(server, {
      path: '/hello.txt',
      args: [...explicit(), '--ftp-ssl-ccc', '--ftp-ssl-ccc-mode', 'active'],
    });
    assertCurlSucceeded(result, server);
    expect(result.replies).toContain('200 Control connection unencrypted');
    expect(result.stdout.toString()).toBe(HELLO);
  });

  test('does not require TLS session reuse', async () => {
    const result = await runCurl(server, { path: '/hello.txt', args: [...explicit(), '--no-sessionid'] });
    assertCurlSucceeded(result, server);
  });

  test('answers MLST, lists MLSD, has no HASH', async () => {
    const mlst = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'MLST hello.txt', '-Q', 'FEAT'] });
    assertCurlSucceeded(mlst, server);
    expect(mlst.replies.some((line) => line.includes(`size=${HELLO.length};`) && line.includes('type=file'))).toBe(
      true,
    );
    expect(mlst.replies.map((line) => line.trim())).toContain('MLSD');
    const hash = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'HASH hello.txt'] });
    expect(hash.replies).toContain('500 Unknown command');
  });
});

describeWithServer('pure-ftpd', 'pure-ftpd -Y 3 (TLS login and data), certificate as one PEM', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startPureFtpd({
      tlsLevel: 3,
      tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile, bundleFile: pki.serverBundleFile },
    });
    await writeFile(path.join(server.root, 'hello.txt'), HELLO);
  });
  afterAll(() => server?.stop());

  test('uploads and downloads a file with equal SHA-256', async () => {
    await curlRoundTrip(server, { scheme: 'ftp', curlArgs: explicit() });
  });

  test('refuses a clear data connection with 521', async () => {
    const result = await runCurl(server, { path: '/hello.txt', args: ['--ftp-ssl-control', '--cacert', pki.caFile] });
    expect(result.exitCode).not.toBe(0);
    expect(result.replies).toContain('521 Data connection cannot be opened with this PROT setting.');
  });

  test('still accepts CCC', async () => {
    const result = await runCurl(server, {
      path: '/hello.txt',
      args: [...explicit(), '--ftp-ssl-ccc', '--ftp-ssl-ccc-mode', 'active'],
    });
    assertCurlSucceeded(result, server);
    expect(result.replies).toContain('200 Control connection unencrypted');
  });
});
