/**
 * Passwords for test logins: made at random per server, stored only as crypt(3) hashes in
 * files of mode 0600, and handed to helper programs on stdin.
 */
import { randomBytes } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { runCommand } from './run-command';

export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** SHA-512 crypt (`$6$...`), which glibc's crypt() checks for proftpd, pure-ftpd and pam_pwdfile. */
export async function cryptPassword(password: string): Promise<string> {
  if (/[\r\n]/.test(password)) throw new Error('test passwords cannot contain line breaks');
  const { stdout } = await runCommand('openssl', ['passwd', '-6', '-stdin'], `${password}\n`);
  return stdout.trim();
}

/** Writes a file only its owner (root) can read; chmod too in case the file existed. */
export async function writeSecretFile(file: string, contents: string): Promise<void> {
  await writeFile(file, contents, { mode: 0o600 });
  await chmod(file, 0o600);
}
