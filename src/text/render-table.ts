/** A plain-text table with padded columns, for human output. */
export function renderTable(headers: string[], rows: string[][]): string {
  // A loop, not Math.max(...rows): one argument per row overflows the stack at ~100,000 rows (issue 12).
  const widths = headers.map((h, i) => rows.reduce((widest, r) => Math.max(widest, (r[i] ?? '').length), h.length));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
