/** A plain-text table for terminals and CI logs. */

/**
 * Columns padded to their widest cell and separated by two spaces, a dashed line under the header;
 * `rightAlign[i]` right-aligns column i (by default every column after the second: the figures).
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAlign: readonly boolean[] = header.map((_, i) => i > 1),
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAlign[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
