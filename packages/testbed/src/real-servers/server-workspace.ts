/**
 * The private folder of one server instance: its config, password files, logs and the
 * served root. Removed by `stop()`.
 */
import { rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { RealServerKind } from './real-server';
import { onProcessExit } from './exit-cleanup';
import { SERVICE_ACCOUNT } from './server-installation';

export interface AccountIds {
  uid: number;
  gid: number;
}

export interface ServerWorkspace {
  dir: string;
  /** The folder the FTP user sees as `/`, owned by the service account so uploads work. */
  root: string;
  /** Account the servers switch to for the session (see install-servers.sh). */
  account: AccountIds;
  /** A path inside the workspace. */
  file(name: string): string;
  remove(): Promise<void>;
}

export async function serviceAccountIds(): Promise<AccountIds> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const entry = passwd.split('\n').find((line) => line.startsWith(`${SERVICE_ACCOUNT}:`));
  const fields = entry?.split(':');
  if (!fields || fields.length < 4)
    throw new Error(`system user ${SERVICE_ACCOUNT} not found; run packages/testbed/install-servers.sh`);
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/**
 * `owner`: who owns the served root. The C servers switch to the service account for a
 * session; pyftpdlib serves as the user running the tests (`current-user`).
 */
export async function createServerWorkspace(
  kind: RealServerKind,
  owner: 'service-account' | 'current-user' = 'service-account',
): Promise<ServerWorkspace> {
  const account =
    owner === 'service-account'
      ? await serviceAccountIds()
      : { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const dir = await mkdtemp(path.join(os.tmpdir(), `ftpsctl-${kind}-`));
  // Traversable by the service account; secrets inside are 0600 files.
  await chmod(dir, 0o755);
  const root = path.join(dir, 'root');
  await mkdir(root, { mode: 0o755 });
  if (owner === 'service-account') await chown(root, account.uid, account.gid);
  const forget = onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    root,
    account,
    file: (name) => path.join(dir, name),
    async remove() {
      forget();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
