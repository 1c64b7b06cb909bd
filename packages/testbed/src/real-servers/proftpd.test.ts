/**
 * proftpd 1.3.8 + mod_tls as Debian ships it, proven with curl 7.88. What these tests found:
 * implicit yes (TLSOptions UseImplicitSSL); CCC refused with TLSRequired on (534), accepted
 * with auth+data (200); TLS 1.3 yes; EPSV yes; MLSD/MLST yes; HASH yes (mod_digest, SHA-1
 * by default, SHA-256 after `OPTS HASH SHA-256`); PROT C refused under TLSRequired on (534);
 * data connections without session reuse refused (425 ... Operation not permitted).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../../../src/loopback/pki';
import { curlRoundTrip } from './curl-round-trip';
import { describeWithServer } from './describe-with-server';
import type { RealServer } from './real-server';
import { assertCurlSucceeded, runCurl } from './run-curl';
import { startProftpd } from './start-proftpd';

jest.setTimeout(30_000);

let scratch: string;
let pki: TestPki;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'ftpsctl-proftpd-test-'));
  pki = await createTestPki(path.join(scratch, 'pki'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const serverTls = (): { certFile: string; keyFile: string; caFile: string } => ({
  certFile: pki.server.certFile,
  keyFile: pki.server.keyFile,
  caFile: pki.caFile,
});
const explicit = (): string[] => ['--ssl-reqd', '--cacert', pki.caFile];
const HELLO = 'hello from proftpd\n';

describeWithServer('proftpd', 'proftpd, explicit FTPS, TLSRequired on', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startProftpd({ tlsRequired: 'on', tls: serverTls() });
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

  test('answers HASH with the file SHA-256 and lists HASH and MLST in FEAT', async () => {
    const hash = await runCurl(server, {
      path: '/',
      args: [...explicit(), '-Q', 'OPTS HASH SHA-256', '-Q', 'HASH hello.txt'],
    });
    assertCurlSucceeded(hash, server);
    const expected = createHash('sha256').update(HELLO).digest('hex');
    expect(hash.replies).toContain(`213 SHA-256 0-${HELLO.length} ${expected} hello.txt`);

    const feat = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'FEAT'] });
    expect(feat.replies.map((line) => line.trim())).toEqual(
      expect.arrayContaining(['HASH CRC32;MD5;SHA-1*;SHA-256;SHA-512;', 'CCC']),
    );
    expect(feat.replies.some((line) => line.trim().startsWith('MLST '))).toBe(true);
  });

  test('answers MLST', async () => {
    const result = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'MLST hello.txt'] });
    assertCurlSucceeded(result, server);
    expect(result.replies.some((line) => line.includes(`size=${HELLO.length};`) && line.includes('type=file'))).toBe(
      true,
    );
  });

  test('refuses CCC with 534', async () => {
    const result = await runCurl(server, {
      path: '/',
      args: [...explicit(), '--ftp-ssl-ccc', '--ftp-ssl-ccc-mode', 'active'],
    });
    expect(result.commands).toContain('CCC');
    expect(result.replies).toContain('534 Unwilling to accept security parameters');
  });

  test('refuses PROT C with 534', async () => {
    // After the 534 curl carries on in clear and proftpd waits for a data-channel handshake: keep it short.
    const result = await runCurl(server, {
      path: '/',
      args: ['--ftp-ssl-control', '--cacert', pki.caFile],
      timeoutSeconds: 3,
    });
    expect(result.commands).toContain('PROT C');
    expect(result.replies).toContain('534 Unwilling to accept security parameters');
    expect(result.exitCode).not.toBe(0);
  });

  test('requires TLS session reuse on data connections', async () => {
    const result = await runCurl(server, { path: '/', args: [...explicit(), '--no-sessionid'] });
    expect(result.replies).toContain('425 Unable to build data connection: Operation not permitted');
  });
});

describeWithServer('proftpd', 'proftpd, explicit FTPS, TLSRequired auth+data', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startProftpd({ tlsRequired: 'auth+data', tls: serverTls(), hash: false });
    await writeFile(path.join(server.root, 'hello.txt'), HELLO);
  });
  afterAll(() => server?.stop());

  test('accepts CCC and goes on with a clear control connection', async () => {
    const result = await runCurl(server, {
      path: '/hello.txt',
      args: [...explicit(), '--ftp-ssl-ccc', '--ftp-ssl-ccc-mode', 'active'],
    });
    assertCurlSucceeded(result, server);
    expect(result.replies).toContain('200 Clearing control channel protection');
    expect(result.stdout.toString()).toBe(HELLO);
  });

  test('has no HASH without mod_digest', async () => {
    const result = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'HASH hello.txt'] });
    expect(result.replies.some((line) => line.startsWith('500 '))).toBe(true);
  });
});

describeWithServer('proftpd', 'proftpd, implicit FTPS with a client certificate', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startProftpd({
      mode: 'implicit',
      tlsRequired: 'on',
      tls: serverTls(),
      clientCertificate: 'required',
    });
  });
  afterAll(() => server?.stop());

  const withClientCertificate = (): string[] => [
    '--cacert',
    pki.caFile,
    '--cert',
    pki.client.certFile,
    '--key',
    pki.client.keyFile,
  ];

  test('serves ftps:// to a client with the test PKI client certificate', async () => {
    await curlRoundTrip(server, { scheme: 'ftps', curlArgs: withClientCertificate() });
  });

  test('refuses a client without a certificate', async () => {
    const result = await runCurl(server, { scheme: 'ftps', path: '/', args: ['--cacert', pki.caFile] });
    expect(result.exitCode).not.toBe(0);
  });
});
