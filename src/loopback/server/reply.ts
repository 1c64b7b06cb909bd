/** Reply formatting (RFC 959 4.2). Pure. */

/**
 * One line gives `code text`. Several give the multi-line form: `code-first`, the middle
 * lines each starting with a space (so none can be mistaken for an end line), `code last`.
 */
export function formatReply(code: number, lines: readonly string[]): string {
  if (lines.length === 0) throw new RangeError('formatReply needs at least one line');
  const single = lines.map((line) => line.replace(/[\r\n]+/g, ' '));
  if (single.length === 1) return `${code} ${single[0]}\r\n`;
  const middle = single.slice(1, -1).map((line) => (line.startsWith(' ') ? line : ` ${line}`));
  return [`${code}-${single[0]}`, ...middle, `${code} ${single[single.length - 1]}`].join('\r\n') + '\r\n';
}

/** RFC 959 quoting of a path inside a 257 reply: embedded double quotes are doubled. */
export function quotePath(virtualPath: string): string {
  return `"${virtualPath.replace(/"/g, '""')}"`;
}
