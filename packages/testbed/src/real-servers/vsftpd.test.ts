/**
 * vsftpd 3.0.3 as Debian ships it, proven with curl 7.88. What these tests found:
 * implicit yes; CCC no (500); TLS 1.3 yes; EPSV yes; MLSD/MLST no; HASH no (500);
 * PROT C answered 200 but the transfer refused (522) under force_local_data_ssl;
 * data connections without session reuse refused ("522 SSL connection failed: session reuse required").
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../../../src/loopback/pki';
import { curlRoundTrip } from './curl-round-trip';
import { describeWithServer } from './describe-with-server';
import type { RealServer } from './real-server';
import { assertCurlSucceeded, runCurl } from './run-curl';
import { startVsftpd } from './start-vsftpd';

jest.setTimeout(30_000);

/**
 * curl 7.88 uploads to vsftpd over TLS 1.3 fail about half the time (measured 21 of 40 with
 * 300 KiB): vsftpd logs "FAIL UPLOAD" after ~112 KiB and answers 426. proftpd and pure-ftpd
 * take the same uploads 15 of 15. Over TLS 1.2 vsftpd took 40 of 40, so curl is held to
 * TLS 1.2 for uploads here; a curl flaw (likely closing the data socket with vsftpd's
 * unread TLS 1.3 session ticket pending, which resets the connection), not a vsftpd setting.
 */
const CURL_UPLOAD_WORKAROUND = ['--tls-max', '1.2'];

let scratch: string;
let pki: TestPki;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'ftpsctl-vsftpd-test-'));
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

describeWithServer('vsftpd', 'vsftpd, explicit FTPS', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startVsftpd({ mode: 'explicit', tls: serverTls() });
    await writeFile(path.join(server.root, 'hello.txt'), 'hello from vsftpd\n');
  });
  afterAll(() => server?.stop());

  const explicit = ['--ssl-reqd', '--cacert'];

  test('lists the root over TLS 1.3 with EPSV', async () => {
    const result = await runCurl(server, { path: '/', args: [...explicit, pki.caFile] });
    assertCurlSucceeded(result, server);
    expect(result.stdout.toString()).toContain('hello.txt');
    expect(result.verbose).toContain('SSL connection using TLSv1.3');
    expect(result.commands).toContain('EPSV');
    expect(result.replies.some((reply) => reply.startsWith('229 '))).toBe(true);
  });

  test('uploads and downloads a file with equal SHA-256', async () => {
    await curlRoundTrip(server, { scheme: 'ftp', curlArgs: [...explicit, pki.caFile, ...CURL_UPLOAD_WORKAROUND] });
  });

  test('refuses clear data connections (PROT C accepted, transfer 522)', async () => {
    const result = await runCurl(server, { path: '/', args: ['--ftp-ssl-control', '--cacert', pki.caFile] });
    expect(result.commands).toContain('PROT C');
    expect(result.replies.some((reply) => reply.startsWith('522 '))).toBe(true);
    expect(result.exitCode).not.toBe(0);
  });

  test('requires TLS session reuse on data connections', async () => {
    const result = await runCurl(server, { path: '/', args: [...explicit, pki.caFile, '--no-sessionid'] });
    expect(result.replies).toContain('522 SSL connection failed: session reuse required');
  });

  test('does not know CCC, MLST or HASH', async () => {
    const ccc = await runCurl(server, {
      path: '/',
      args: [...explicit, pki.caFile, '--ftp-ssl-ccc', '--ftp-ssl-ccc-mode', 'active'],
    });
    expect(ccc.commands).toContain('CCC');
    expect(ccc.replies.some((reply) => reply.startsWith('500 '))).toBe(true);
    for (const command of ['MLST hello.txt', 'HASH hello.txt']) {
      const result = await runCurl(server, { path: '/', args: [...explicit, pki.caFile, '-Q', command] });
      expect(result.replies.some((reply) => reply.startsWith('500 '))).toBe(true);
    }
  });

  test('refuses a login without TLS', async () => {
    const result = await runCurl(server, { path: '/', args: [] });
    expect(result.exitCode).not.toBe(0);
    expect(result.replies.some((reply) => reply.startsWith('530 '))).toBe(true);
  });
});

describeWithServer('vsftpd', 'vsftpd, implicit FTPS', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startVsftpd({ mode: 'implicit', tls: serverTls() });
    await writeFile(path.join(server.root, 'implicit.txt'), 'implicit\n');
  });
  afterAll(() => server?.stop());

  test('serves ftps:// from the first byte', async () => {
    const list = await runCurl(server, { scheme: 'ftps', path: '/', args: ['--cacert', pki.caFile] });
    assertCurlSucceeded(list, server);
    expect(list.stdout.toString()).toContain('implicit.txt');
    await curlRoundTrip(server, { scheme: 'ftps', curlArgs: ['--cacert', pki.caFile, ...CURL_UPLOAD_WORKAROUND] });
  });
});

describeWithServer('vsftpd', 'vsftpd, client certificate required', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startVsftpd({ mode: 'explicit', tls: serverTls(), clientCertificate: 'required' });
  });
  afterAll(() => server?.stop());

  test('refuses a client without a certificate', async () => {
    const result = await runCurl(server, { path: '/', args: ['--ssl-reqd', '--cacert', pki.caFile] });
    expect(result.exitCode).not.toBe(0);
  });

  test('accepts the test PKI client certificate plus the password', async () => {
    const result = await runCurl(server, {
      path: '/',
      args: ['--ssl-reqd', '--cacert', pki.caFile, '--cert', pki.client.certFile, '--key', pki.client.keyFile],
    });
    assertCurlSucceeded(result, server);
    expect(result.replies.some((reply) => reply.startsWith('230 '))).toBe(true);
  });
});

describeWithServer('vsftpd', 'vsftpd launcher', () => {
  test('stop() ends the server, frees the port and keeps the log readable', async () => {
    const server = await startVsftpd({ mode: 'explicit', tls: serverTls(), password: 'chosen-by-the-test' });
    expect(server.password).toBe('chosen-by-the-test');
    const login = await runCurl(server, { path: '/', args: ['--ssl-reqd', '--cacert', pki.caFile] });
    assertCurlSucceeded(login, server);
    await server.stop();
    await server.stop();
    expect(server.log()).toContain('OK LOGIN');
    expect(server.log()).not.toContain('chosen-by-the-test');
    await expect(
      new Promise((resolve, reject) =>
        net.connect({ host: server.host, port: server.port }).once('connect', resolve).once('error', reject),
      ),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
