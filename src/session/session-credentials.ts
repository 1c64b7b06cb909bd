/** The secrets a session needs, read from the sources its effective profile names (never from argv). */
import type { Credentials } from '../engine/engine-settings';
import { FtpsctlError } from '../errors';
import type { EffectiveProfile } from '../settings/generated/effective-profile';
import { readSecret, type SecretIo } from './secrets';

/**
 * Reads the password, and the client-key passphrase and proxy password when the profile uses
 * them. Throws FTPSCTL_ERR_PROFILE_INVALID when the profile names no password source, and what
 * `readSecret` throws (FTPSCTL_ERR_USAGE, FTPSCTL_ERR_SECRET_*) naming the source, never the value.
 */
export async function readCredentials(settings: EffectiveProfile, secrets: SecretIo): Promise<Credentials> {
  if (!settings.password)
    throw new FtpsctlError(
      'FTPSCTL_ERR_PROFILE_INVALID',
      `profile "${settings.name}" has no password source; add "password": {"env": "VAR"} (or {"file": ...} or "prompt")`,
    );
  const credentials: Credentials = {
    password: await readSecret(settings.password, `the password of profile ${settings.name}`, secrets),
  };
  const passphrase = settings.tls.pki.clientCertificate?.passphrase;
  if (passphrase)
    credentials.clientKeyPassphrase = await readSecret(
      passphrase,
      `the client key passphrase of profile ${settings.name}`,
      secrets,
    );
  const proxyPassword = settings.proxy.enabled ? settings.proxy.authorization?.password : undefined;
  if (proxyPassword)
    credentials.proxyPassword = await readSecret(
      proxyPassword,
      `the proxy password of profile ${settings.name}`,
      secrets,
    );
  return credentials;
}
