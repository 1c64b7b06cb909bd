/**
 * The private folder of one proxy instance: config, password file, TLS key copy, pid file
 * and logs. Owned by the account the proxy runs as (squid drops to `proxy` before it
 * writes logs and starts its auth helper), mode 0700. Removed by `stop()` or at exit.
 */
import { rmSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { onProcessExit } from '../real-servers/exit-cleanup';
import { accountIds, type AccountIds } from './account-ids';
import type { ProxyKind } from './proxy';

export interface ProxyWorkspace {
  dir: string;
  owner: AccountIds;
  /** A path inside the workspace. */
  file(name: string): string;
  /** Writes a file of mode 0600 owned by the workspace owner (secrets, the TLS key); returns its path. */
  writeOwnedSecret(name: string, contents: string | Buffer): Promise<string>;
  remove(): Promise<void>;
}

/** `ownerName` undefined: root keeps the folder. */
export async function createProxyWorkspace(kind: ProxyKind, ownerName?: string): Promise<ProxyWorkspace> {
  const owner = ownerName === undefined ? { uid: 0, gid: 0 } : await accountIds(ownerName);
  const dir = await mkdtemp(path.join(os.tmpdir(), `ftpsctl-proxy-${kind}-`));
  const forget = onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
  await chmod(dir, 0o700);
  await chown(dir, owner.uid, owner.gid);
  return {
    dir,
    owner,
    file: (name) => path.join(dir, name),
    async writeOwnedSecret(name, contents) {
      const file = path.join(dir, name);
      await writeFile(file, contents, { mode: 0o600 });
      await chmod(file, 0o600);
      await chown(file, owner.uid, owner.gid);
      return file;
    },
    async remove() {
      forget();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
