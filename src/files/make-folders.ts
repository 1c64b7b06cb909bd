import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * mkdir -p, one folder at a time from the deepest one that exists. Node 20's own
 * `mkdir(..., { recursive: true })` never returns for some paths under /proc (it spun at 100% CPU
 * for minutes on `/proc/forbidden/x`); here each level fails or succeeds once, and the error
 * (ENOENT, EACCES, ENOTDIR...) is thrown as it comes, for the caller to name.
 */
export async function makeFolders(folder: string): Promise<void> {
  const missing: string[] = [];
  let current = path.resolve(folder);
  for (;;) {
    const found = await stat(current).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    if (found) break;
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const dir of missing)
    await mkdir(dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error; // made by another session meanwhile
    });
}
