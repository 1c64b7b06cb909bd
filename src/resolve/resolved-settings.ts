/**
 * A Resolution's flat `settings` map back into the nested shape of an effective profile,
 * the only settings the engine ever sees. A refused resolution has none: it never connects.
 */
import { FtpsctlError } from '../errors';
import type { EffectiveProfile } from '../settings/generated/effective-profile';
import type { Resolution } from './resolution';

export function resolvedProfile(resolution: Resolution): EffectiveProfile {
  if (resolution.decision !== 'allow') {
    const reasons = resolution.violations.map((v) => v.message).join('; ');
    throw new FtpsctlError(
      'FTPSCTL_ERR_REFUSED_BY_POLICY',
      `profile "${resolution.profile}" is refused by policy: ${reasons || 'see ftpsctl resolve'}`,
    );
  }
  const profile: Record<string, unknown> = {};
  for (const [path, setting] of Object.entries(resolution.settings)) {
    if (setting.value === undefined) continue;
    const keys = path.split('.');
    let node = profile;
    for (const key of keys.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = setting.value;
  }
  return profile as unknown as EffectiveProfile;
}
