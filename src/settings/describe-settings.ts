/** Each setting of a profile with its value and whether the profile or a default set it. */
import type { EffectiveProfile } from './generated/effective-profile';
import type { SessionProfile } from './generated/session-profile';
import { listSettings } from './settings-catalog';

export interface SettingValue {
  path: string;
  value: unknown;
  source: 'profile' | 'default' | 'unset';
}

const keysByPath = new Map<string, string[]>();

export function valueAtPath(object: unknown, path: string): unknown {
  let keys = keysByPath.get(path);
  if (!keys) {
    keys = path.split('.');
    keysByPath.set(path, keys);
  }
  let node = object;
  for (const key of keys) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export function describeSettings(raw: SessionProfile, effective: EffectiveProfile): SettingValue[] {
  return listSettings().map(({ path }) => {
    const own = valueAtPath(raw, path);
    const value = valueAtPath(effective, path);
    return { path, value, source: own !== undefined ? 'profile' : value !== undefined ? 'default' : 'unset' };
  });
}
