/**
 * Client paths live in a virtual tree whose `/` is the served folder. Pure: this decides
 * which virtual path an argument names, or that it names none.
 */

/**
 * Resolves `argument` against the current directory. Returns undefined (the caller answers
 * 550) for NUL bytes, backslashes (a Windows separator that must not smuggle `..\`), and any
 * `..` that would climb above `/`.
 */
export function resolveVirtualPath(cwd: string, argument: string): string | undefined {
  if (argument.includes('\0') || argument.includes('\\')) return undefined;
  const joined = argument.startsWith('/') ? argument : `${cwd}/${argument}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return `/${parts.join('/')}`;
}

/** The last component, for listings and HASH/MLST replies; `/` for the root. */
export function baseName(virtualPath: string): string {
  const parts = virtualPath.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? '/';
}
