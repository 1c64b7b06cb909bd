/**
 * Policy folders as the tests need them: files written with the modes StrictModes accepts
 * (folder 0755, files 0644), whatever the umask.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Writes `files` (name -> text) into `<parent>/<name>`; returns the folder. */
export function writePolicyFolder(parent: string, name: string, files: Record<string, string>): string {
  const target = path.join(parent, name);
  mkdirSync(target, { recursive: true });
  chmodSync(target, 0o755);
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(path.join(target, file), text);
    chmodSync(path.join(target, file), 0o644);
  }
  return target;
}

/** A policy document with `body` as its settings (default: machine scope, priority 100). */
export const policyDocument = (name: string, body: string, attributes = 'scope="machine" priority="100"'): string =>
  `<policy xmlns="urn:ftpsctl:policy:1" name="${name}" ${attributes}>${body}</policy>`;
