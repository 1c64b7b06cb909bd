/**
 * Names from a server decide where files land on this machine, so each one is checked: a
 * name that could leave the target folder (`..`, absolute, NUL, backslash or drive tricks,
 * control characters) is refused, never "cleaned up". Pure.
 */
import path from 'node:path';

/** Why a single name from a listing is unsafe as a path segment, or undefined when it is fine. */
export function unsafeNameReason(name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return `"${name}" is not a file name`;
  if (name.includes('\0')) return 'it contains a NUL byte';
  if (name.includes('/')) return 'it contains "/"';
  if (name.includes('\\')) return 'it contains a backslash';
  if (/^[A-Za-z]:/.test(name)) return 'it starts with a drive letter';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\x00-\x1f\x7f]/.test(name)) return 'it contains a control character';
  return undefined;
}

/** `root` joined with the remote-relative `segments`, or the reason it would escape `root`. */
export function localPathFor(root: string, segments: readonly string[]): { path: string } | { problem: string } {
  for (const segment of segments) {
    const reason = unsafeNameReason(segment);
    if (reason) return { problem: `refused server name ${JSON.stringify(segment)}: ${reason}` };
  }
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  if (target !== base && !target.startsWith(base + path.sep)) return { problem: `refused ${JSON.stringify(segments.join('/'))}: it would leave ${base}` };
  return { path: target };
}
