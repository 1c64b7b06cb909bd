/**
 * Relative file paths are read from the folder of the file that set them: a profile's from
 * the profile's folder (like `$schema`), a policy's from the policy file's folder. So a user
 * can't swap the CA or move the audit log a policy mandates by putting files next to their
 * profile. Absolute paths stay as they are. Pure.
 */
import path from 'node:path';
import type { EffectiveProfile, SecretSource } from '../settings/generated/effective-profile';
import type { Resolution } from './resolution';

type Anchor = (settingPath: string, file: string) => string;

function anchorSecret(source: SecretSource | undefined, settingPath: string, at: Anchor): SecretSource | undefined {
  if (source && typeof source === 'object' && 'file' in source) return { file: at(settingPath, source.file) };
  return source;
}

/**
 * The folder a relative path of `settingPath` is read from: the folder of the policy file that
 * set it, else the profile's folder.
 */
export function anchorFolder(
  settingPath: string,
  profileFile: string,
  resolution?: Pick<Resolution, 'settings'>,
): string {
  const origin = resolution?.settings[settingPath];
  return origin?.source === 'policy' && origin.file
    ? path.dirname(path.resolve(origin.file))
    : path.dirname(path.resolve(profileFile));
}

export function anchorProfilePaths(
  profile: EffectiveProfile,
  profileFile: string,
  resolution?: Resolution,
): EffectiveProfile {
  const at: Anchor = (settingPath, file) => path.resolve(anchorFolder(settingPath, profileFile, resolution), file);
  const pki = profile.tls.pki;
  const client = pki.clientCertificate;
  const anchored: EffectiveProfile = {
    ...profile,
    tls: {
      ...profile.tls,
      pki: {
        ...pki,
        ...(pki.caFile ? { caFile: at('tls.pki.caFile', pki.caFile) } : {}),
        ...(pki.crlFiles
          ? { crlFiles: pki.crlFiles.map((f) => at('tls.pki.crlFiles', f)) as [string, ...string[]] }
          : {}),
        ...(client
          ? {
              clientCertificate: {
                ...client,
                certFile: at('tls.pki.clientCertificate', client.certFile),
                keyFile: at('tls.pki.clientCertificate', client.keyFile),
                ...(client.passphrase
                  ? { passphrase: anchorSecret(client.passphrase, 'tls.pki.clientCertificate', at) as SecretSource }
                  : {}),
              },
            }
          : {}),
      },
    },
    proxy: {
      ...profile.proxy,
      ...(profile.proxy.caFile ? { caFile: at('proxy.caFile', profile.proxy.caFile) } : {}),
      ...(profile.proxy.authorization?.password
        ? {
            authorization: {
              ...profile.proxy.authorization,
              password: anchorSecret(profile.proxy.authorization.password, 'proxy.authorization', at) as SecretSource,
            },
          }
        : {}),
    },
  };
  if (profile.password) anchored.password = anchorSecret(profile.password, 'password', at) as SecretSource;
  if (profile.audit?.logFile)
    anchored.audit = { ...profile.audit, logFile: at('audit.logFile', profile.audit.logFile) };
  return anchored;
}
