/**
 * Every setting of the profile schema as a flat list of dotted paths (`tls.minVersion`),
 * each with its resolved schema node. The settings reference, the defaults and the
 * policy catalog are all built from this list, so a setting is declared once.
 */
import { derefNode, profileSchema, type SchemaNode } from './profile-schema';

export interface SettingEntry {
  /** Dotted path, e.g. `tls.pki.caFile`. */
  path: string;
  /** JSON pointer into a profile, e.g. `/tls/pki/caFile`. */
  pointer: string;
  /** The schema node, `$ref` followed. */
  schema: SchemaNode;
  /** Where the setting's schema node is in the schema file (`#/$defs/tls/properties/minVersion`). */
  schemaPointer: string;
  /** The group the setting belongs to (the first path segment for nested settings, else `session`). */
  group: string;
}

/** Objects whose members are settings of their own; every other value is one setting. */
function isSettingGroup(node: SchemaNode): boolean {
  return node.type === 'object' && node.properties !== undefined && node.required === undefined;
}

let cached: SettingEntry[] | undefined;

export function listSettings(root: SchemaNode = profileSchema): SettingEntry[] {
  if (root === profileSchema && cached) return cached;
  const out: SettingEntry[] = [];
  const walk = (node: SchemaNode, nodePointer: string, prefix: string[]): void => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (key === '$schema') continue;
      const resolved = derefNode(child, root);
      const path = [...prefix, key];
      const schemaPointer = `${nodePointer}/properties/${key}`;
      if (isSettingGroup(resolved)) {
        walk(resolved, child.$ref ?? schemaPointer, path);
      } else {
        out.push({
          path: path.join('.'),
          pointer: `/${path.join('/')}`,
          schema: resolved,
          schemaPointer,
          group: path.length > 1 ? path[0] : 'session',
        });
      }
    }
  };
  walk(derefNode(root, root), '#', []);
  if (root === profileSchema) cached = out;
  return out;
}

export function findSetting(path: string): SettingEntry | undefined {
  return listSettings().find((entry) => entry.path === path);
}
