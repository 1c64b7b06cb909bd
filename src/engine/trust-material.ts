/**
 * Reads the PKI files a session needs (CA bundle, CRLs, client certificate and key) once,
 * before any connection is opened, so a missing file is reported as the setting to fix.
 */
import { readFile } from 'node:fs/promises';
import { FtpsctlError } from '../errors';
import type { EngineSettings } from './engine-settings';

export interface TrustMaterial {
  /** PEM text of `tls.pki.caFile`, if set. */
  caPem?: string;
  crlPems: string[];
  clientCertPem?: string;
  clientKeyPem?: string;
}

type FileReader = (path: string) => Promise<string>;

const readText: FileReader = (path) => readFile(path, 'utf8');

export async function readTrustMaterial(tls: EngineSettings['tls'], read: FileReader = readText): Promise<TrustMaterial> {
  const load = async (setting: string, path: string): Promise<string> => {
    try {
      return await read(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
      throw new FtpsctlError('FTPSCTL_ERR_PROFILE_INVALID', `${setting}: ${path} ${reason}; fix the path in the profile`, { cause: error });
    }
  };
  const pki = tls.pki;
  const material: TrustMaterial = { crlPems: [] };
  if (pki.caFile) material.caPem = await load('tls.pki.caFile', pki.caFile);
  if (pki.revocation === 'crl') {
    for (const [i, file] of (pki.crlFiles ?? []).entries()) material.crlPems.push(await load(`tls.pki.crlFiles[${i}]`, file));
  }
  if (pki.clientCertificate) {
    material.clientCertPem = await load('tls.pki.clientCertificate.certFile', pki.clientCertificate.certFile);
    material.clientKeyPem = await load('tls.pki.clientCertificate.keyFile', pki.clientCertificate.keyFile);
  }
  return material;
}
