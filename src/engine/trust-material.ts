/**
 * Reads the PKI files a session needs (CA bundle, CRLs, client certificate and key) once,
 * before any connection is opened, so a missing file is reported as the setting to fix.
 */
import { createPrivateKey } from 'node:crypto';
import { errnoCode, errnoInWords, FtpsctlError } from '../errors';
import { readUserTextFile, type UserFileKind } from '../files/read-user-file';
import type { EngineSettings } from './engine-settings';

export interface TrustMaterial {
  /** PEM text of `tls.pki.caFile`, if set. */
  caPem?: string;
  crlPems: string[];
  clientCertPem?: string;
  clientKeyPem?: string;
}

/** Reads one named file; the default refuses anything but a regular file under the kind's cap (FTPSCTL_ERR_INPUT_FILE). */
type FileReader = (path: string, kind: UserFileKind, setting: string) => Promise<string>;

const readText: FileReader = (path, kind, setting) => readUserTextFile(path, kind, { label: setting });

export async function readTrustMaterial(
  tls: EngineSettings['tls'],
  read: FileReader = readText,
  clientKeyPassphrase?: string,
): Promise<TrustMaterial> {
  const load = async (setting: string, path: string, kind: UserFileKind): Promise<string> => {
    try {
      return await read(path, kind, setting);
    } catch (error) {
      if (error instanceof FtpsctlError) throw error;
      const reason = errnoCode(error) === 'ENOENT' ? 'does not exist' : `cannot be read: ${errnoInWords(error)}`;
      throw new FtpsctlError(
        'FTPSCTL_ERR_PROFILE_INVALID',
        `${setting}: ${path} ${reason}; fix the path in the profile`,
        { cause: error },
      );
    }
  };
  const pki = tls.pki;
  const material: TrustMaterial = { crlPems: [] };
  if (pki.caFile) material.caPem = await load('tls.pki.caFile', pki.caFile, 'certificates');
  if (pki.revocation === 'crl') {
    for (const [i, file] of (pki.crlFiles ?? []).entries())
      material.crlPems.push(await load(`tls.pki.crlFiles[${i}]`, file, 'crl'));
  }
  if (pki.clientCertificate) {
    material.clientCertPem = await load(
      'tls.pki.clientCertificate.certFile',
      pki.clientCertificate.certFile,
      'certificates',
    );
    material.clientKeyPem = await load(
      'tls.pki.clientCertificate.keyFile',
      pki.clientCertificate.keyFile,
      'privateKey',
    );
    // Checked before connecting: a wrong passphrase is a profile problem, not a failed handshake.
    try {
      createPrivateKey({
        key: material.clientKeyPem,
        ...(clientKeyPassphrase !== undefined ? { passphrase: clientKeyPassphrase } : {}),
      });
    } catch (error) {
      const encrypted = /ENCRYPTED/.test(material.clientKeyPem);
      const why = encrypted
        ? clientKeyPassphrase === undefined
          ? 'the key is encrypted and tls.pki.clientCertificate.passphrase is not set'
          : 'the passphrase from tls.pki.clientCertificate.passphrase does not decrypt it'
        : 'it is not a PEM private key';
      throw new FtpsctlError(
        'FTPSCTL_ERR_PROFILE_INVALID',
        `tls.pki.clientCertificate.keyFile: ${pki.clientCertificate.keyFile} cannot be used: ${why}`,
        { cause: error },
      );
    }
  }
  return material;
}
