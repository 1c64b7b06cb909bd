/**
 * pyftpdlib 1.5.7 (Debian's python3-pyftpdlib, TLS_FTPHandler on python3-openssl 23.0),
 * proven with curl 7.88 on the control channel and with ftpsctl's engine on data
 * (test/integration/real-servers.test.ts). What these tests found: explicit FTPS only; TLS 1.3
 * yes; EPSV yes; MLSD/MLST yes (MLST facts in FEAT); FEAT lists UTF8 but `OPTS UTF8 ON` is
 * refused (501: pyftpdlib's OPTS takes only MLST); HASH no (500); `refuseMlsd` keeps MLST in
 * FEAT and answers MLSD with 500. curl 7.88 cannot list or fetch under PROT P: it starts the
 * data TLS handshake before it sends LIST/RETR, and pyftpdlib resets a data connection that
 * speaks before its command arrived (Python's ftplib and ftpsctl send the command first).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../../../src/loopback/pki';
import { describeWithServer } from './describe-with-server';
import type { RealServer } from './real-server';
import { runCurl } from './run-curl';
import { startPyftpdlib } from './start-pyftpdlib';

jest.setTimeout(30_000);

let scratch: string;
let pki: TestPki;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'ftpsctl-pyftpdlib-test-'));
  pki = await createTestPki(path.join(scratch, 'pki'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const explicit = (): string[] => ['--ssl-reqd', '--cacert', pki.caFile];
const HELLO = 'hello from pyftpdlib\n';

describeWithServer('pyftpdlib', 'pyftpdlib TLS_FTPHandler (TLS login and data required)', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startPyftpdlib({ tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile } });
    await writeFile(path.join(server.root, 'hello.txt'), HELLO);
  });
  afterAll(() => server?.stop());

  test('logs in over TLS 1.3 and answers EPSV; curl then fails: its data handshake comes before LIST', async () => {
    const result = await runCurl(server, { path: '/', args: explicit() });
    expect(result.verbose).toContain('SSL connection using TLSv1.3');
    expect(result.replies).toContain('230 Login successful.');
    expect(result.replies.some((line) => /^229 /.test(line))).toBe(true);
    expect(result.exitCode).not.toBe(0);
    expect(result.verbose).toMatch(/Connection reset by peer/);
  });

  test('checks the password against its hash: a wrong one is refused (530)', async () => {
    const result = await runCurl({ ...server, password: `${server.password}-wrong` }, { path: '/', args: explicit() });
    expect(result.exitCode).not.toBe(0);
    expect(result.replies.some((line) => line.startsWith('530 '))).toBe(true);
  });

  test('refuses PROT C (522 with tls_data_required)', async () => {
    const result = await runCurl(server, { path: '/hello.txt', args: ['--ftp-ssl-control', '--cacert', pki.caFile] });
    expect(result.exitCode).not.toBe(0);
    expect(result.replies.some((line) => /^5\d\d .*(SSL|TLS|PROT)/i.test(line))).toBe(true);
  });

  test('lists UTF8 and MLST in FEAT, refuses OPTS UTF8 ON (501), has no HASH', async () => {
    // The quoted commands run before curl's listing, which fails (see the first test).
    const result = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'FEAT', '-Q', 'MLST hello.txt'] });
    const features = result.replies.map((line) => line.trim());
    expect(features).toContain('UTF8');
    expect(features.some((line) => line.startsWith('MLST '))).toBe(true);
    expect(result.replies.some((line) => line.includes(`size=${HELLO.length};`) && line.includes('type=file'))).toBe(
      true,
    );
    const opts = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'OPTS UTF8 ON'] });
    expect(opts.replies.some((line) => line.startsWith('501 '))).toBe(true);
    const hash = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'HASH hello.txt'] });
    expect(hash.replies.some((line) => line.startsWith('500 '))).toBe(true);
  });
});

describeWithServer('pyftpdlib', 'pyftpdlib configured as the field servers that break clients', () => {
  let server: RealServer;
  beforeAll(async () => {
    server = await startPyftpdlib({
      tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile },
      refuseMlsd: true,
      advertiseUtf8: false,
    });
  });
  afterAll(() => server?.stop());

  test('advertises MLST without UTF8, and answers MLSD with 500', async () => {
    const feat = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'FEAT'] });
    const features = feat.replies.map((line) => line.trim());
    expect(features.some((line) => line.startsWith('MLST '))).toBe(true);
    expect(features).not.toContain('UTF8');
    const mlsd = await runCurl(server, { path: '/', args: [...explicit(), '-Q', 'MLSD'] });
    expect(mlsd.replies.some((line) => /^500 .*MLSD/.test(line))).toBe(true);
  });
});
