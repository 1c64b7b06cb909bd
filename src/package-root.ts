import { existsSync } from 'node:fs';
import path from 'node:path';

let root: string | undefined;

/** The folder of ftpsctl's package.json, whether running from src/ (tests) or dist/src/ (built). */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'schemas'))) return (root = dir);
    if (path.dirname(dir) === dir) throw new Error(`ftpsctl's package root not found above ${__dirname}`);
  }
}

/** Absolute path of schemas/session-profile.schema.json in this installation. */
export function profileSchemaFile(): string {
  return path.join(packageRoot(), 'schemas', 'session-profile.schema.json');
}
