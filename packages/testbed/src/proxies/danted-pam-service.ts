/**
 * A PAM service of its own for each dante instance, so each test picks its own proxy
 * password without touching /etc/shadow or racing other test workers:
 * /etc/pam.d/ftpsctl-danted-<pid>-<n> checks the instance's 0600 password file with
 * pam_pwdfile (package libpam-pwdfile). Same scheme as vsftpd's (real-servers/vsftpd-pam-service.ts).
 *
 * PAM looks services up only in /etc/pam.d, hence the one file outside the workspace; it is
 * removed by stop(), at process exit, or by the next run when its process is gone.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { onProcessExit } from '../real-servers/exit-cleanup';

const PAM_DIR = '/etc/pam.d';
const PREFIX = 'ftpsctl-danted-';

export interface DantedPamService {
  name: string;
  /** Its file in /etc/pam.d. */
  file: string;
  remove(): Promise<void>;
}

export function dantedPamServiceText(passwordFile: string): string {
  return [
    '# Written by the ftpsctl testbed for one dante test instance; safe to delete.',
    // nodelay: no 2 s pause after a wrong password, which tests provoke on purpose.
    `auth required pam_pwdfile.so pwdfile=${passwordFile} nodelay`,
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

let sweptStale = false;

/** Removes services left by test processes that died without cleaning up. */
function removeStaleServices(): void {
  if (sweptStale) return;
  sweptStale = true;
  for (const entry of readdirSync(PAM_DIR)) {
    const owner = entry.startsWith(PREFIX) ? Number(entry.slice(PREFIX.length).split('-')[0]) : NaN;
    if (Number.isInteger(owner) && owner !== process.pid && !processAlive(owner)) rmSync(path.join(PAM_DIR, entry), { force: true });
  }
}

export async function createDantedPamService(passwordFile: string): Promise<DantedPamService> {
  removeStaleServices();
  const name = `${PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`;
  const file = path.join(PAM_DIR, name);
  await writeFile(file, dantedPamServiceText(passwordFile), { mode: 0o644 });
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
