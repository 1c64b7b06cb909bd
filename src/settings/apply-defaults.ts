/**
 * A profile with every default applied. Plain defaults come from the schema (`default`);
 * derived ones (`x-default` in the schema) are computed here: the port from tls.implicit,
 * server names from their hosts. Pure: the input is not modified.
 */
import type { EffectiveProfile } from './generated/effective-profile';
import type { SessionProfile } from './generated/session-profile';
import { derefNode, profileSchema, type SchemaNode } from './profile-schema';

export const DEFAULT_EXPLICIT_PORT = 21;
export const DEFAULT_IMPLICIT_PORT = 990;

type Json = Record<string, unknown>;

/** Fills schema defaults into `value`; creates setting groups that hold defaulted members. */
function fillDefaults(node: SchemaNode, value: Json): Json {
  const out: Json = { ...value };
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const resolved = derefNode(child);
    if (out[key] === undefined && resolved.default !== undefined) {
      out[key] = structuredClone(resolved.default);
    } else if (resolved.type === 'object' && resolved.properties) {
      const present = out[key] as Json | undefined;
      if (present !== undefined) out[key] = fillDefaults(resolved, present);
      else if (resolved.required === undefined && hasDefaults(resolved)) out[key] = fillDefaults(resolved, {});
    }
  }
  return out;
}

function hasDefaults(node: SchemaNode): boolean {
  return Object.values(node.properties ?? {}).some((child) => {
    const resolved = derefNode(child);
    return (
      resolved.default !== undefined ||
      (resolved.type === 'object' && resolved.required === undefined && hasDefaults(resolved))
    );
  });
}

export function applyDefaults(profile: SessionProfile): EffectiveProfile {
  const filled = fillDefaults(derefNode(profileSchema), profile as unknown as Json) as unknown as EffectiveProfile;
  filled.port ??= filled.tls.implicit ? DEFAULT_IMPLICIT_PORT : DEFAULT_EXPLICIT_PORT;
  filled.tls.serverName ??= filled.host;
  if (filled.proxy.host !== undefined) filled.proxy.serverName ??= filled.proxy.host;
  return filled;
}
