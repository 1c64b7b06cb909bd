/** Launching an FTPS session from a Resolution: only an allowed one, only its effective settings. */
import { openSession, type FtpsSession, type OpenSessionOptions } from '../engine/ftps-session';
import type { Credentials } from '../engine/engine-settings';
import type { Resolution } from './resolution';
import { resolvedProfile } from './resolved-settings';

export async function connect(resolution: Resolution, credentials: Credentials, options: OpenSessionOptions = {}): Promise<FtpsSession> {
  return openSession(resolvedProfile(resolution), credentials, options);
}
