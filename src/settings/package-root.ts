import { existsSync, readFileSync } from 'node:fs';
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

/**
 * A JSON schema shipped in `schemas/`, read at run time from the package root (never imported
 * by a path that leaves `src/`, so the built and the installed copy find the same file).
 */
export function readSchemaFile(name: 'session-profile.schema.json' | 'policy.schema.json'): object {
  return JSON.parse(readFileSync(path.join(packageRoot(), 'schemas', name), 'utf8')) as object;
}
