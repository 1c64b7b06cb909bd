/**
 * The folders from `root` (exclusive) down to `dir` (inclusive), each as an absolute path, for
 * checking or creating one level at a time without following a link; undefined when `dir` is
 * not inside `root`. `root` itself is taken as given: the user named it. Pure (no I/O).
 */
import path from 'node:path';

export function folderLevels(root: string, dir: string): string[] | undefined {
  const base = path.resolve(root);
  const relative = path.relative(base, path.resolve(dir));
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const levels: string[] = [];
  let current = base;
  for (const segment of relative === '' ? [] : relative.split(path.sep))
    levels.push((current = path.join(current, segment)));
  return levels;
}
