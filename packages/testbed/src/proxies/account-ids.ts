/** uid/gid of a system account, read from /etc/passwd (no getent child process). */
import { readFile } from 'node:fs/promises';

export interface AccountIds {
  uid: number;
  gid: number;
}

export async function accountIds(name: string): Promise<AccountIds> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const fields = passwd
    .split('\n')
    .find((line) => line.startsWith(`${name}:`))
    ?.split(':');
  if (!fields || fields.length < 4) throw new Error(`system user ${name} not found`);
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}
