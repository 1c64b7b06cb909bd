/**
 * A new profile for `ftpsctl profile init`: the fewest settings that make a valid profile
 * for the options given, everything else left to defaults (and so to policy).
 */
import path from 'node:path';
import type { SessionProfile } from '../settings/generated/session-profile';

export interface ProfileTemplateOptions {
  name: string;
  host: string;
  user?: string;
  implicit?: boolean;
  fips?: boolean;
  /** Where the profile will be written; `$schema` is made relative to it. */
  file: string;
  /** Absolute path of the profile schema. */
  schemaFile: string;
}

export function profileTemplate(options: ProfileTemplateOptions): SessionProfile {
  const relative = path
    .relative(path.dirname(path.resolve(options.file)), options.schemaFile)
    .split(path.sep)
    .join('/');
  const profile: SessionProfile = {
    $schema: relative.startsWith('.') ? relative : `./${relative}`,
    name: options.name,
    host: options.host,
  };
  if (options.user !== undefined) {
    profile.user = options.user;
    profile.password = 'prompt';
  }
  const tls: NonNullable<SessionProfile['tls']> = { enabled: true };
  if (options.implicit) tls.implicit = true;
  if (options.fips) tls.fipsMode = true;
  profile.tls = tls;
  return profile;
}
