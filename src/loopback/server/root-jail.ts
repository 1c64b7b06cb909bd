/**
 * Maps virtual paths onto the served folder and makes sure symbolic links cannot lead a
 * client out of it: the real path of the target (or, for a name about to be created, of
 * its parent folder) must lie inside the real path of the root.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';

export class RootJail {
  private constructor(private readonly realRoot: string) {}

  static async open(root: string): Promise<RootJail> {
    return new RootJail(await realpath(root));
  }

  /** The file-system path of a virtual path already checked by resolveVirtualPath, or undefined when it escapes. */
  async toRealPath(virtualPath: string): Promise<string | undefined> {
    const candidate = path.join(this.realRoot, ...virtualPath.split('/').filter(Boolean));
    if (!this.contains(candidate)) return undefined;
    try {
      return this.contains(await realpath(candidate)) ? candidate : undefined;
    } catch {
      // Does not exist (yet): its parent must.
      try {
        return this.contains(await realpath(path.dirname(candidate))) ? candidate : undefined;
      } catch {
        return candidate; // neither exists: the operation itself will fail with 550
      }
    }
  }

  /** Whether an existing file-system path (a directory entry) really lies inside the root, links followed. */
  async holds(fileSystemPath: string): Promise<boolean> {
    return realpath(fileSystemPath).then(
      (resolved) => this.contains(resolved),
      () => false,
    );
  }

  private contains(realPath: string): boolean {
    return realPath === this.realRoot || realPath.startsWith(this.realRoot + path.sep);
  }
}
