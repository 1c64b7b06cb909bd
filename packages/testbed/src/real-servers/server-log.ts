/** Reads a server's log files into one text for failure messages. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function readServerLog(files: readonly string[]): string {
  return files
    .filter((file) => existsSync(file))
    .map((file) => `--- ${path.basename(file)} ---\n${readFileSync(file, 'utf8')}`)
    .join('\n');
}
