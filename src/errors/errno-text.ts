import { getSystemErrorMap } from 'node:util';

/**
 * An errno in words, from the system's own table (`ENOSPC` -> `no space left on device (ENOSPC)`),
 * for every message about a local file or folder. A few codes get the words users act on.
 * @param error anything thrown by `node:fs` (a `NodeJS.ErrnoException`) or any other value; an
 *   error with a `code` but no `errno` (a simulated one) is looked up by its code
 * @returns text such as `it or its folder does not exist (ENOENT)`; the code or message when the
 *   system table has no entry
 */
export function errnoInWords(error: unknown): string {
  const failure = (error ?? {}) as NodeJS.ErrnoException;
  const code = failure.code;
  if (code === 'ENOENT') return 'it or its folder does not exist (ENOENT)';
  if (code === 'EISDIR') return 'it is a folder (EISDIR)';
  // A recursive mkdir answers EEXIST when a part of the path is a file.
  if (code === 'EEXIST' && failure.syscall === 'mkdir') return 'a part of the path is a file, not a folder (EEXIST)';
  // libuv's table has no EDQUOT.
  if (code === 'EDQUOT') return 'disk quota exceeded (EDQUOT)';
  const known =
    typeof failure.errno === 'number'
      ? getSystemErrorMap().get(failure.errno)
      : [...getSystemErrorMap().values()].find(([name]) => name === code);
  if (known) return `${known[1]} (${known[0]})`;
  return code ?? failure.message ?? String(error);
}

/** The errno code of a thrown `node:fs` error (`ENOENT`, `EACCES`...), or undefined for anything else. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
