/**
 * The Group Policy view of the policy catalog: one ADMX `<policy>` per setting and
 * enforcement kind, with the registry key and value name Group Policy writes it to. The ADMX
 * generator and the Registry.pol reader both use this list, so the template and the reader
 * can't disagree, and nothing of the catalog is written twice.
 *
 * Registry layout (DESIGN.md, "Additions in wave 2"; Chromium's layout):
 *   mandatory      Software\Policies\ftpsctl            ! <setting path>   (tls_fipsMode)
 *   recommended    Software\Policies\ftpsctl\Recommended! <setting path>   (tls_fipsMode_recommended)
 *   floor/ceiling  Software\Policies\ftpsctl\Floor      ! <setting path>   (tls_minVersion_floor)
 *                  Software\Policies\ftpsctl\Ceiling    ! <setting path>   (tls_minVersion_ceiling)
 *   lists          <key of the kind>\<setting path>     ! 1, 2, 3 ...      (host_allow, tls_pki_pinnedSha256)
 *                  allow / deny lists under ...\Allow\<path>, ...\Deny\<path>
 */
import type { EnforceKind } from '../policy';
import { policyCatalog, type CatalogEntry } from '../policy-catalog';

export const POLICY_KEY = 'Software\\Policies\\ftpsctl';
export const RECOMMENDED_KEY = `${POLICY_KEY}\\Recommended`;

/** The key under which each enforcement kind stores its values. */
export const KEY_OF_KIND: Record<EnforceKind, string> = {
  mandatory: POLICY_KEY,
  recommended: RECOMMENDED_KEY,
  floor: `${POLICY_KEY}\\Floor`,
  ceiling: `${POLICY_KEY}\\Ceiling`,
  allow: `${POLICY_KEY}\\Allow`,
  deny: `${POLICY_KEY}\\Deny`,
};

/** ADMX element kinds: a boolean policy has no element (enabled = 1, disabled = 0). */
export type GroupPolicyElementKind = 'boolean' | 'enum' | 'decimal' | 'text' | 'list';

/** The ADMX categories, in display order; each setting belongs to one. */
export const CATEGORIES = [
  { id: 'tls', title: 'TLS' },
  { id: 'pki', title: 'PKI' },
  { id: 'network', title: 'Network' },
  { id: 'proxy', title: 'Proxy' },
  { id: 'transfer', title: 'Transfer' },
  { id: 'audit', title: 'Audit' },
] as const;
export type CategoryId = (typeof CATEGORIES)[number]['id'];

export interface GroupPolicyDefinition {
  /** ADMX policy name: the setting path with `.` replaced by `_`, plus `_recommended`, `_floor`, `_ceiling`, `_allow` or `_deny`. */
  name: string;
  settingPath: string;
  enforce: EnforceKind;
  /** `Machine` for the security settings' mandatory values, constraints and host lists; `Both` otherwise. */
  class: 'Machine' | 'Both';
  category: CategoryId;
  /** The registry key the policy writes (for a list: the subkey holding the list's values). */
  key: string;
  /** The registry value name; absent for lists (their values are named 1, 2, 3 ...). */
  valueName?: string;
  kind: GroupPolicyElementKind;
  entry: CatalogEntry;
}

export function admxPolicyName(settingPath: string, enforce: EnforceKind): string {
  const base = settingPath.replace(/\./g, '_');
  return enforce === 'mandatory' ? base : `${base}_${enforce}`;
}

export function categoryOf(settingPath: string): CategoryId {
  if (settingPath.startsWith('tls.pki.')) return 'pki';
  const group = settingPath.split('.')[0];
  if (group === 'tls' || group === 'proxy' || group === 'transfer' || group === 'audit' || group === 'network')
    return group;
  return 'network'; // host, port: where the session connects
}

function elementKind(entry: CatalogEntry, enforce: EnforceKind): GroupPolicyElementKind {
  if (entry.isList || enforce === 'allow' || enforce === 'deny') return 'list';
  if (entry.schema.enum) return 'enum';
  if (entry.schema.type === 'boolean') return 'boolean';
  if (entry.schema.type === 'integer' || entry.schema.type === 'number') return 'decimal';
  return 'text';
}

let definitions: GroupPolicyDefinition[] | undefined;

/** Every Group Policy of ftpsctl, in catalog order (per setting: mandatory, recommended, floor, ceiling, allow, deny). */
export function groupPolicyDefinitions(): GroupPolicyDefinition[] {
  if (definitions) return definitions;
  const order: EnforceKind[] = ['mandatory', 'recommended', 'floor', 'ceiling', 'allow', 'deny'];
  definitions = [];
  for (const entry of policyCatalog().values()) {
    for (const enforce of order) {
      if (!entry.enforce.includes(enforce)) continue;
      const kind = elementKind(entry, enforce);
      const security = entry.order !== undefined || enforce === 'allow' || enforce === 'deny';
      definitions.push({
        name: admxPolicyName(entry.path, enforce),
        settingPath: entry.path,
        enforce,
        class: security && enforce !== 'recommended' ? 'Machine' : 'Both',
        category: categoryOf(entry.path),
        key: kind === 'list' ? `${KEY_OF_KIND[enforce]}\\${entry.path}` : KEY_OF_KIND[enforce],
        ...(kind === 'list' ? {} : { valueName: entry.path }),
        kind,
        entry,
      });
    }
  }
  return definitions;
}

/** `Software\Policies\ftpsctl!tls.fipsMode`, or the list key for a list: how provenance names a registry value. */
export function registryValueLabel(definition: Pick<GroupPolicyDefinition, 'key' | 'valueName'>): string {
  return definition.valueName === undefined ? definition.key : `${definition.key}!${definition.valueName}`;
}
