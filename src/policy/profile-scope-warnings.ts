/**
 * `policy validate` (issue 10): a policy that tightens anything (mandatory, floor, ceiling,
 * allow, deny) but is scoped only by profile name binds nothing: the profile name is the
 * user's to choose, and a renamed profile escapes it. Security belongs to `<host>` scopes.
 * Pure.
 */
import type { Policy } from './policy';

const TIGHTENING = new Set(['mandatory', 'floor', 'ceiling', 'allow', 'deny']);

export function profileScopeWarnings(policies: readonly Policy[]): string[] {
  const warnings: string[] = [];
  for (const policy of policies) {
    if (
      policy.appliesTo.profiles.length === 0 ||
      policy.appliesTo.profiles.includes('*') ||
      policy.appliesTo.hosts.length > 0
    )
      continue;
    const tightening = policy.settings.filter((s) => TIGHTENING.has(s.enforce));
    if (tightening.length === 0) continue;
    warnings.push(
      `${policy.file}:${policy.line}:${policy.column} policy ${policy.name} enforces ${tightening.map((s) => `${s.path} (${s.enforce})`).join(', ')} but is scoped only by profile name (${policy.appliesTo.profiles.join(', ')}); a user who renames the profile escapes it. Scope security by host: add <host> globs to <appliesTo> (or remove <appliesTo> to cover every session)`,
    );
  }
  return warnings;
}
