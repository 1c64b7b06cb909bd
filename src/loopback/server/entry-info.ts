/** Reads what listings show about files: stat, and directory contents in name order. */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { EntryInfo } from './listing';

export async function entryInfo(realPath: string, name: string): Promise<EntryInfo> {
  const stats = await stat(realPath);
  return {
    name,
    isDirectory: stats.isDirectory(),
    size: stats.size,
    modified: stats.mtime,
    permissions: stats.mode & 0o777,
  };
}

/**
 * Entries that cannot be stat'ed (dangling links, races) are left out, and so are those
 * `isVisible` rejects (links leading out of the served folder: not even their size may show).
 */
export async function directoryEntries(
  realDirectory: string,
  isVisible: (entryPath: string) => Promise<boolean>,
): Promise<EntryInfo[]> {
  const names = (await readdir(realDirectory)).sort();
  const entries = await Promise.all(
    names.map(async (name) => {
      const entryPath = path.join(realDirectory, name);
      return (await isVisible(entryPath)) ? entryInfo(entryPath, name).catch(() => undefined) : undefined;
    }),
  );
  return entries.filter((entry): entry is EntryInfo => entry !== undefined);
}
