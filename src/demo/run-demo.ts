/**
 * The main job as far as it exists: validate every example profile and summarise what each
 * one asks for. Later issues grow it into a managed session against the loopback server.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { checkProfileFile } from '../session/load-profile';
import type { ProfileProblem } from '../session/profile-problems';

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
}

export async function runDemo(directory: string): Promise<DemoResult> {
  const files = (await readdir(directory)).filter((f) => f.endsWith('.json')).sort();
  const profiles: DemoProfileRow[] = [];
  for (const name of files) {
    const file = path.join(directory, name);
    const checked = await checkProfileFile(file);
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
      authentication: p.tls.validateCertificateChain ? (p.tls.pki.pinnedSha256?.length ? 'chain + pin' : 'chain') : 'pin only',
      fips: p.tls.fipsMode,
      route: p.proxy.enabled ? `${p.proxy.type} via ${p.proxy.host}:${p.proxy.port}` : p.network.nat ? 'direct (NAT)' : 'direct',
    });
  }
  return { directory, profiles };
}
