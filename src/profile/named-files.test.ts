import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkProfileNamedFiles, namedFiles } from './named-files';
import { valueAtPath } from '../settings/describe-settings';
import { SAMPLE_CA_PEM } from '../../test/fixtures/pem/sample-pem';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-named-files-'));
  mkdirSync(path.join(dir, 'profiles'));
  mkdirSync(path.join(dir, 'policies'));
  writeFileSync(path.join(dir, 'profiles', 'ca.pem'), SAMPLE_CA_PEM);
  writeFileSync(path.join(dir, 'policies', 'corp-ca.pem'), SAMPLE_CA_PEM);
  execFileSync('mkfifo', ['-m', '600', path.join(dir, 'profiles', 'pw.fifo')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const everyFile = {
  name: 'p',
  host: 'h',
  password: { file: 'pw.txt' },
  tls: {
    pki: {
      caFile: 'ca.pem',
      crlFiles: ['a.crl', 'b.crl'],
      clientCertificate: { certFile: 'c.pem', keyFile: 'c.key', passphrase: { file: 'key.pw' } },
    },
  },
  proxy: { caFile: 'proxy-ca.pem', authorization: { user: 'u', password: { file: 'proxy.pw' } } },
  audit: { logFile: 'audit.jsonl' },
};

describe('namedFiles', () => {
  it('lists every file a profile names for reading, with its pointer and kind (the audit log is written, not read)', () => {
    expect(
      namedFiles((p) => valueAtPath(everyFile, p)).map((f) => [f.label, f.pointer, f.file, f.kind, f.settingPath]),
    ).toEqual([
      ['password.file', '/password/file', 'pw.txt', 'secret', 'password'],
      ['tls.pki.caFile', '/tls/pki/caFile', 'ca.pem', 'certificates', 'tls.pki.caFile'],
      [
        'tls.pki.clientCertificate.certFile',
        '/tls/pki/clientCertificate/certFile',
        'c.pem',
        'certificates',
        'tls.pki.clientCertificate',
      ],
      [
        'tls.pki.clientCertificate.keyFile',
        '/tls/pki/clientCertificate/keyFile',
        'c.key',
        'privateKey',
        'tls.pki.clientCertificate',
      ],
      [
        'tls.pki.clientCertificate.passphrase.file',
        '/tls/pki/clientCertificate/passphrase/file',
        'key.pw',
        'secret',
        'tls.pki.clientCertificate',
      ],
      ['tls.pki.crlFiles[0]', '/tls/pki/crlFiles/0', 'a.crl', 'crl', 'tls.pki.crlFiles'],
      ['tls.pki.crlFiles[1]', '/tls/pki/crlFiles/1', 'b.crl', 'crl', 'tls.pki.crlFiles'],
      ['proxy.caFile', '/proxy/caFile', 'proxy-ca.pem', 'certificates', 'proxy.caFile'],
      [
        'proxy.authorization.password.file',
        '/proxy/authorization/password/file',
        'proxy.pw',
        'secret',
        'proxy.authorization',
      ],
    ]);
  });

  it('names nothing for env and prompt secrets', () => {
    expect(
      namedFiles((p) =>
        valueAtPath({ password: 'prompt', proxy: { authorization: { user: 'u', password: { env: 'X' } } } }, p),
      ),
    ).toEqual([]);
  });
});

describe('checkProfileNamedFiles', () => {
  it('reads relative paths from the profile folder and reports each unusable file at its pointer', async () => {
    const profileFile = path.join(dir, 'profiles', 'p.json');
    const problems = await checkProfileNamedFiles(
      {
        name: 'p',
        host: 'h',
        password: { file: 'pw.fifo' },
        tls: { pki: { caFile: 'ca.pem', crlFiles: [path.join(dir, 'none.crl')] } },
      },
      profileFile,
    );
    expect(problems).toEqual([
      {
        pointer: '/password/file',
        line: null,
        column: null,
        message: `password.file: pw.fifo (${path.join(dir, 'profiles', 'pw.fifo')}) is a FIFO (named pipe), not a regular file; give the path of a password or passphrase file (the secret on its first line)`,
      },
      {
        pointer: '/tls/pki/crlFiles/0',
        line: null,
        column: null,
        message: `tls.pki.crlFiles[0]: ${path.join(dir, 'none.crl')} does not exist; check the path (a relative path is read from the folder of the file that names it)`,
      },
    ]);
  });
});
