/**
 * The main job as far as it exists: validate every example profile, summarise what each one
 * asks for, then resolve them all against the example policies (the audit report). The
 * managed session against the loopback server comes with the session commands.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { AuditReport } from '../audit/audit-report';
import { buildAuditReport } from '../audit/build-audit-report';
import { loadPolicySet } from '../policy/load-policy-set';
import { checkProfileFile } from '../profile/load-profile';
import type { ProfileProblem } from '../profile/profile-problems';

export interface DemoProfileRow {
  file: string;
  valid: boolean;
  problems: ProfileProblem[];
  name?: string;
  endpoint?: string;
  mode?: 'explicit' | 'implicit' | 'plain';
  tls?: string;
  dataChannel?: 'PROT P' | 'PROT C';
  authentication?: string;
  fips?: boolean;
  route?: string;
}

export interface DemoResult {
  directory: string;
  profiles: DemoProfileRow[];
  /** The example profiles resolved against the example policies. */
  audit: AuditReport;
}

export async function runDemo(directory: string, policiesDirectory: string): Promise<DemoResult> {
  const files = (await readdir(directory)).filter((f) => f.endsWith('.json')).sort();
  const profiles: DemoProfileRow[] = [];
  for (const name of files) {
    const file = path.join(directory, name);
    const checked = await checkProfileFile(file, { secretFileModes: false });
    if (!checked.valid) {
      profiles.push({ file, valid: false, problems: checked.problems });
      continue;
    }
    const p = checked.loaded.profile;
    profiles.push({
      file,
      valid: true,
      problems: [],
      name: p.name,
      endpoint: `${p.host}:${p.port}`,
      mode: !p.tls.enabled ? 'plain' : p.tls.implicit ? 'implicit' : 'explicit',
      tls: `${p.tls.minVersion}..${p.tls.maxVersion}`,
      dataChannel: p.tls.encryptDataChannel ? 'PROT P' : 'PROT C',
      authentication: p.tls.validateCertificateChain
        ? p.tls.pki.pinnedSha256?.length || p.tls.pki.pinnedPublicKeySha256?.length
          ? 'chain + pin'
          : 'chain'
        : 'pin only',
      fips: p.tls.fipsMode,
      route: p.proxy.enabled
        ? `${p.proxy.type} via ${p.proxy.host}:${p.proxy.port}`
        : p.network.nat
          ? 'direct (NAT)'
          : 'direct',
    });
  }
  const audit = await buildAuditReport(directory, await loadPolicySet([policiesDirectory]));
  return { directory, profiles, audit };
}
