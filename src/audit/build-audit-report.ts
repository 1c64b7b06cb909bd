/**
 * Resolves every profile of a folder against one policy set: the data of `ftpsctl audit`.
 * Reads what the other commands accept: `*.json` in any letter case (`.JSON`, `.Json`), in the
 * folder and every subfolder below it (symbolic links to folders are not followed, so a loop
 * can't trap the audit). Two files with the same profile name are a finding (`duplicateOf`).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { formatPolicyProblem } from '../policy/policy';
import type { PolicySet } from '../policy/policy-set';
import { policySourceRecords } from '../policy/policy-sources';
import { checkProfileFile } from '../profile/load-profile';
import { formatProblem } from '../profile/profile-error';
import { resolveProfile } from '../resolve/resolve-profile';
import { CHANGED_BY_POLICY, type AuditReport, type AuditedProfile } from './audit-report';

/** Every profile file under `dir`, relative paths sorted; throws (scandir) when `dir` can't be read. */
export async function listProfileFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string, top: boolean): Promise<void> => {
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (top) throw error;
      return; // an unreadable subfolder: its files can't be audited; the top folder's error is the one that matters
    }
    for (const entry of entries) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(file, false);
      else if (entry.name.toLowerCase().endsWith('.json') && !entry.name.startsWith('.')) found.push(file);
    }
  };
  await walk(dir, true);
  return found.sort();
}

export async function buildAuditReport(
  profilesDir: string,
  policies: PolicySet,
  now: Date = new Date(),
): Promise<AuditReport> {
  const files = await listProfileFiles(profilesDir);
  const profiles: AuditedProfile[] = [];
  for (const file of files) {
    const checked = await checkProfileFile(file, { secretFileModes: false });
    if (checked.valid) {
      profiles.push({ file, resolution: resolveProfile(checked.loaded, policies) });
    } else {
      profiles.push({
        file,
        error: {
          code: checked.unreadable ? 'FTPSCTL_ERR_PROFILE_UNREADABLE' : 'FTPSCTL_ERR_PROFILE_INVALID',
          message: checked.problems.map((p) => formatProblem(file, p)).join('\n'),
        },
      });
    }
  }
  const byName = new Map<string, AuditedProfile[]>();
  for (const p of profiles)
    if (p.resolution) byName.set(p.resolution.profile, [...(byName.get(p.resolution.profile) ?? []), p]);
  let duplicateNames = 0;
  for (const same of byName.values()) {
    if (same.length < 2) continue;
    duplicateNames++;
    for (const p of same) p.duplicateOf = same.filter((o) => o !== p).map((o) => o.file);
  }
  const resolved = profiles.flatMap((p) => (p.resolution ? [p.resolution] : []));
  return {
    generatedAt: now.toISOString(),
    profilesDir,
    policiesDir: policies.sources.join(', ') || '(none)',
    policyFiles: [
      ...policies.policies.map((p) => ({ file: p.file, sha256: p.sha256, policy: p.name, problems: [] })),
      ...policies.failures.map((f) => ({
        file: f.file,
        ...(f.sha256 ? { sha256: f.sha256 } : {}),
        ...(f.name ? { policy: f.name } : {}),
        problems: f.problems.map(formatPolicyProblem),
      })),
    ].sort((a, b) => (a.file < b.file ? -1 : 1)),
    profiles,
    summary: {
      profiles: profiles.length,
      allowed: resolved.filter((r) => r.decision === 'allow').length,
      refused: resolved.filter((r) => r.decision === 'refuse').length,
      invalid: profiles.filter((p) => p.error).length,
      changedByPolicy: resolved.filter((r) => Object.values(r.settings).some((s) => CHANGED_BY_POLICY.has(s.status)))
        .length,
      rejectedRecommendations: resolved.filter((r) => Object.values(r.settings).some((s) => s.rejectedRecommendation))
        .length,
      duplicateNames,
    },
    managed: policies.managed ?? policies.sources.length > 0,
    ...(policies.simulation ? { simulation: true } : {}),
    policySources: policySourceRecords(policies),
  };
}
