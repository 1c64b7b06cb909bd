/** Launching an FTPS session from a Resolution: only an allowed one, only its effective settings. */
import { openSession, type FtpsSession, type OpenSessionOptions } from '../engine/ftps-session';
import type { Credentials } from '../engine/engine-settings';
import type { Resolution } from '../resolve/resolution';
import { dialedAddressCheck } from '../resolve/resolution-dial-check';
import { anchorProfilePaths } from '../resolve/anchor-paths';
import { resolvedProfile } from '../resolve/resolved-settings';

/**
 * Opens an FTPS session with a resolution's effective settings; throws
 * FTPSCTL_ERR_REFUSED_BY_POLICY for a refused one before opening anything. Relative file paths
 * are read from the folder of the file that set them (the profile's, or a policy's), as the CLI
 * does, whatever the caller's working directory.
 */
export async function connect(
  resolution: Resolution,
  credentials: Credentials,
  options: OpenSessionOptions = {},
): Promise<FtpsSession> {
  const settings = resolvedProfile(resolution);
  const anchored = resolution.profileFile ? anchorProfilePaths(settings, resolution.profileFile, resolution) : settings;
  // Host rules on the address actually dialed, control and data (issue 10).
  return openSession(anchored, credentials, { checkDialedAddress: dialedAddressCheck(resolution), ...options });
}
