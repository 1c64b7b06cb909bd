/**
 * File paths in a profile are relative to the profile's own folder (like `$schema`), so a
 * profile works from any working directory. Absolute paths, and paths a policy set, stay
 * as they are. Pure.
 */
import path from 'node:path';
import type { EffectiveProfile, SecretSource } from './generated/effective-profile';

function anchorSecret(source: SecretSource | undefined, base: string): SecretSource | undefined {
  if (source && typeof source === 'object' && 'file' in source) return { file: path.resolve(base, source.file) };
  return source;
}

export function anchorProfilePaths(profile: EffectiveProfile, profileFile: string): EffectiveProfile {
  const base = path.dirname(path.resolve(profileFile));
  const at = (file: string): string => path.resolve(base, file);
  const pki = profile.tls.pki;
  const anchored: EffectiveProfile = {
    ...profile,
    tls: {
      ...profile.tls,
      pki: {
        ...pki,
        ...(pki.caFile ? { caFile: at(pki.caFile) } : {}),
        ...(pki.crlFiles ? { crlFiles: pki.crlFiles.map(at) as [string, ...string[]] } : {}),
        ...(pki.clientCertificate
          ? {
              clientCertificate: {
                ...pki.clientCertificate,
                certFile: at(pki.clientCertificate.certFile),
                keyFile: at(pki.clientCertificate.keyFile),
                ...(pki.clientCertificate.passphrase ? { passphrase: anchorSecret(pki.clientCertificate.passphrase, base) as SecretSource } : {}),
              },
            }
          : {}),
      },
    },
    proxy: {
      ...profile.proxy,
      ...(profile.proxy.caFile ? { caFile: at(profile.proxy.caFile) } : {}),
      ...(profile.proxy.authorization?.password ? { authorization: { ...profile.proxy.authorization, password: anchorSecret(profile.proxy.authorization.password, base) as SecretSource } } : {}),
    },
  };
  if (profile.password) anchored.password = anchorSecret(profile.password, base) as SecretSource;
  if (profile.audit?.logFile) anchored.audit = { ...profile.audit, logFile: at(profile.audit.logFile) };
  return anchored;
}
