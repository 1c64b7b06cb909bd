/**
 * Runs a helper program (openssl, pure-pw, getent) with an argv array and optional stdin.
 * Secrets go through stdin, never argv: argv is visible to every user in /proc.
 */
import { spawn } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export function runCommand(file: string, args: readonly string[], input?: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${file} ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`));
    });
    // A program that exits without reading stdin (pure-pw mkdb) makes the write fail with EPIPE: its exit code says how it went.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
