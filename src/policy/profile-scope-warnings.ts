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
    const { profiles, hosts } = policy.appliesTo;
    if (profiles.length === 0 || profiles.includes('*')) continue;
    const tightening = policy.settings.filter((s) => TIGHTENING.has(s.enforce));
    if (tightening.length === 0) continue;
    const what = `${policy.file}:${policy.line}:${policy.column} policy ${policy.name} enforces ${tightening.map((s) => `${s.path} (${s.enforce})`).join(', ')}`;
    warnings.push(
      hosts.length === 0
        ? `${what} but is scoped only by profile name (${profiles.join(', ')}); a user who renames the profile escapes it. Scope security by host: add <host> globs to <appliesTo> (or remove <appliesTo> to cover every session)`
        : // Both lists must match, so the profile name still decides: a renamed profile escapes on these hosts too.
          `${what} only for profiles named ${profiles.join(', ')} on hosts ${hosts.join(', ')}; a user who renames the profile escapes it on those hosts. Scope security by host alone: remove the <profile> globs (or put them in a separate policy)`,
    );
  }
  return warnings;
}
