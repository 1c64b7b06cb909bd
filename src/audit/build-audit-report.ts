/** Resolves every profile of a folder against one policy set: the data of `ftpsctl audit`. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { formatPolicyProblem } from '../policy/policy';
import type { PolicySet } from '../policy/policy-set';
import { checkProfileFile } from '../session/load-profile';
import { formatProblem } from '../session/profile-error';
import { resolveProfile } from '../session/resolve-profile';
import { CHANGED_BY_POLICY, type AuditReport, type AuditedProfile } from './audit-report';

export async function buildAuditReport(profilesDir: string, policies: PolicySet, now: Date = new Date()): Promise<AuditReport> {
  const files = (await readdir(profilesDir)).filter((name) => name.endsWith('.json')).sort();
  const profiles: AuditedProfile[] = [];
  for (const name of files) {
    const file = path.join(profilesDir, name);
    const checked = await checkProfileFile(file);
    if (checked.valid) {
      profiles.push({ file, resolution: resolveProfile(checked.loaded, policies) });
    } else {
      profiles.push({
        file,
        error: { code: checked.unreadable ? 'FTPSCTL_ERR_PROFILE_UNREADABLE' : 'FTPSCTL_ERR_PROFILE_INVALID', message: checked.problems.map((p) => formatProblem(file, p)).join('\n') },
      });
    }
  }
  const resolved = profiles.flatMap((p) => (p.resolution ? [p.resolution] : []));
  return {
    generatedAt: now.toISOString(),
    profilesDir,
    policiesDir: policies.sources.join(', ') || '(none)',
    policyFiles: [
      ...policies.policies.map((p) => ({ file: p.file, sha256: p.sha256, policy: p.name, problems: [] })),
      ...policies.failures.map((f) => ({ file: f.file, ...(f.sha256 ? { sha256: f.sha256 } : {}), ...(f.name ? { policy: f.name } : {}), problems: f.problems.map(formatPolicyProblem) })),
    ].sort((a, b) => (a.file < b.file ? -1 : 1)),
    profiles,
    summary: {
      profiles: profiles.length,
      allowed: resolved.filter((r) => r.decision === 'allow').length,
      refused: resolved.filter((r) => r.decision === 'refuse').length,
      invalid: profiles.filter((p) => p.error).length,
      changedByPolicy: resolved.filter((r) => Object.values(r.settings).some((s) => CHANGED_BY_POLICY.has(s.status))).length,
    },
  };
}
