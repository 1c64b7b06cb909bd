/**
 * The library's read-only views of the profile schema, the settings catalog and the policy
 * catalog. The resolver reads the same catalogs to enforce policies (a floor's direction is the
 * order of its values),
 * so the library never hands out those objects: it hands out deep-frozen copies, made once, and
 * a new Map per policyCatalog() call. Nothing a caller does to them (reverse an order for a
 * display, delete an entry) changes what connect() enforces with.
 */
import { policyCatalog as enforcedPolicyCatalog, type CatalogEntry } from './policy/policy-catalog';
import { profileSchema as enforcedSchema } from './settings/profile-schema';
import { listSettings as enforcedSettings, type SettingEntry } from './settings/settings-catalog';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value as object)) deepFreeze(member);
  }
  return value;
}

/** The session profile JSON Schema (draft 2020-12): a deep-frozen copy (the catalogs share the schema's arrays). */
export const profileSchema: typeof enforcedSchema = deepFreeze(structuredClone(enforcedSchema));

let settingsView: readonly SettingEntry[] | undefined;
let catalogView: ReadonlyArray<readonly [string, CatalogEntry]> | undefined;

/** Every setting of the profile schema, in schema order: deep-frozen copies. */
export function listSettings(): readonly SettingEntry[] {
  return (settingsView ??= deepFreeze(structuredClone(enforcedSettings())));
}

/** The setting at a dotted path (`tls.minVersion`), or undefined. */
export function findSetting(path: string): SettingEntry | undefined {
  return listSettings().find((entry) => entry.path === path);
}

/** The settings policies can enforce, by dotted path: a new Map of deep-frozen entries on every call. */
export function policyCatalog(): Map<string, CatalogEntry> {
  catalogView ??= deepFreeze(structuredClone([...enforcedPolicyCatalog().entries()]));
  return new Map(catalogView);
}
