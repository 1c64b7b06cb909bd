/**
 * The engine reads every PKI file through src/files/read-user-file: a FIFO, a device, a folder
 * or an oversize file named as caFile, a CRL, the client certificate or key, or the proxy's CA
 * is refused with FTPSCTL_ERR_INPUT_FILE naming the setting, before any connection.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyDefaults } from '../settings/apply-defaults';
import type { SessionProfile } from '../settings/generated/session-profile';
import type { EngineSettings } from './engine-settings';
import { proxyDialer } from './proxy/proxy-dialer';
import type { Dialer } from './tcp-dialer';
import { readTrustMaterial } from './trust-material';

let dir: string;
let fifo: string;
let pem: string;
let huge: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-trust-files-'));
  fifo = path.join(dir, 'ca.fifo');
  execFileSync('mkfifo', ['-m', '600', fifo]);
  pem = path.join(dir, 'ca.pem');
  writeFileSync(pem, '-----BEGIN CERTIFICATE-----\n');
  huge = path.join(dir, 'huge.crl');
  closeSync(openSync(huge, 'w'));
  execFileSync('truncate', ['-s', '200M', huge]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function settings(tls: NonNullable<SessionProfile['tls']>, proxy?: SessionProfile['proxy']): EngineSettings {
  return applyDefaults({ name: 't', host: '127.0.0.1', tls, ...(proxy ? { proxy } : {}) } as SessionProfile);
}

describe('readTrustMaterial', () => {
  it.each<[string, () => NonNullable<SessionProfile['tls']>, () => string]>([
    [
      'caFile is a FIFO',
      () => ({ pki: { caFile: fifo } }),
      () =>
        `tls.pki.caFile: ${fifo} is a FIFO (named pipe), not a regular file; give the path of a PEM certificate file`,
    ],
    [
      'caFile is a folder',
      () => ({ pki: { caFile: dir } }),
      () => `tls.pki.caFile: ${dir} is a directory, not a regular file; give the path of a PEM certificate file`,
    ],
    [
      'a CRL is 200 MB',
      () => ({ pki: { caFile: pem, revocation: 'crl', crlFiles: [pem, huge] } }),
      () =>
        `tls.pki.crlFiles[1]: ${huge} is 209715200 bytes; a PEM CRL file is at most 10 MiB (10485760 bytes): is this the right file?`,
    ],
    [
      'the client certificate is a character device',
      () => ({ pki: { clientCertificate: { certFile: '/dev/zero', keyFile: pem } } }),
      () =>
        'tls.pki.clientCertificate.certFile: /dev/zero is a character device, not a regular file; give the path of a PEM certificate file',
    ],
    [
      'the client key is a FIFO',
      () => ({ pki: { clientCertificate: { certFile: pem, keyFile: fifo } } }),
      () =>
        `tls.pki.clientCertificate.keyFile: ${fifo} is a FIFO (named pipe), not a regular file; give the path of a PEM private key file`,
    ],
    [
      'the client key is missing',
      () => ({ pki: { clientCertificate: { certFile: pem, keyFile: path.join(dir, 'none.key') } } }),
      () =>
        `tls.pki.clientCertificate.keyFile: ${path.join(dir, 'none.key')} does not exist; check the path (a relative path is read from the folder of the file that names it)`,
    ],
  ])('%s', async (_title, tls, message) => {
    await expect(readTrustMaterial(settings(tls()).tls)).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_INPUT_FILE',
      message: message(),
    });
  });

  it('reads regular files', async () => {
    expect(await readTrustMaterial(settings({ pki: { caFile: pem } }).tls)).toEqual({
      caPem: '-----BEGIN CERTIFICATE-----\n',
      crlPems: [],
    });
  });
});

describe('proxyDialer', () => {
  it('refuses a proxy.caFile that is a FIFO before dialing', async () => {
    let dialed = false;
    const base: Dialer = async () => {
      dialed = true;
      throw new Error('must not dial');
    };
    const engine = settings({}, { enabled: true, host: '127.0.0.1', port: 3128, caFile: fifo });
    await expect(proxyDialer(engine, { password: 'x' }, base)).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_INPUT_FILE',
      message: `proxy.caFile: ${fifo} is a FIFO (named pipe), not a regular file; give the path of a PEM certificate file`,
    });
    expect(dialed).toBe(false);
  });
});
