/**
 * A PAM service of its own for each server instance that logs users in through PAM (vsftpd,
 * dante), so each test picks its own password without touching /etc/shadow or racing other
 * test workers: /etc/pam.d/ftpsctl-<program>-<pid>-<n> checks the instance's 0600 password
 * file with pam_pwdfile (package libpam-pwdfile).
 *
 * PAM looks services up only in /etc/pam.d, hence the one file outside the workspace; it is
 * removed by stop(), at process exit, or by the next run when its process is gone.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { onProcessExit } from './exit-cleanup';

const PAM_DIR = '/etc/pam.d';

export type PamProgram = 'vsftpd' | 'danted';

export interface PamService {
  name: string;
  /** Its file in /etc/pam.d. */
  file: string;
  remove(): Promise<void>;
}

/** `nodelay`: no 2 s pause after a wrong password, which proxy tests provoke on purpose. */
export function pamServiceText(program: PamProgram, passwordFile: string, options: { nodelay?: boolean } = {}): string {
  return [
    `# Written by the ftpsctl testbed for one ${program} test instance; safe to delete.`,
    `auth required pam_pwdfile.so pwdfile=${passwordFile}${options.nodelay ? ' nodelay' : ''}`,
    'account required pam_permit.so',
    'session required pam_permit.so',
    'password required pam_deny.so',
    '',
  ].join('\n');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const swept = new Set<PamProgram>();

/** Removes services left by test processes that died without cleaning up. */
function removeStaleServices(prefix: string, program: PamProgram): void {
  if (swept.has(program)) return;
  swept.add(program);
  for (const entry of readdirSync(PAM_DIR)) {
    const owner = entry.startsWith(prefix) ? Number(entry.slice(prefix.length).split('-')[0]) : NaN;
    if (Number.isInteger(owner) && owner !== process.pid && !processAlive(owner))
      rmSync(path.join(PAM_DIR, entry), { force: true });
  }
}

export async function createPamService(
  program: PamProgram,
  passwordFile: string,
  options: { nodelay?: boolean } = {},
): Promise<PamService> {
  const prefix = `ftpsctl-${program}-`;
  removeStaleServices(prefix, program);
  const name = `${prefix}${process.pid}-${randomBytes(4).toString('hex')}`;
  const file = path.join(PAM_DIR, name);
  await writeFile(file, pamServiceText(program, passwordFile, options), { mode: 0o644 });
  const forget = onProcessExit(() => rmSync(file, { force: true }));
  return {
    name,
    file,
    async remove() {
      forget();
      await rm(file, { force: true });
    },
  };
}
