/** Launching an FTPS session from a Resolution: only an allowed one, only its effective settings. */
import { openSession, type FtpsSession, type OpenSessionOptions } from '../engine/ftps-session';
import type { Credentials } from '../engine/engine-settings';
import type { Resolution } from './resolution';
import { dialedAddressCheck } from './resolution-dial-check';
import { resolvedProfile } from './resolved-settings';

export async function connect(resolution: Resolution, credentials: Credentials, options: OpenSessionOptions = {}): Promise<FtpsSession> {
  // Host rules on the address actually dialed, control and data (issue 10).
  return openSession(resolvedProfile(resolution), credentials, { checkDialedAddress: dialedAddressCheck(resolution), ...options });
}
