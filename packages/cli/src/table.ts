/** Plain-text tables for the terminal, fitted to its width. */

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms >= 100 ? `${ms.toFixed(1)} ms` : ms >= 1 ? `${ms.toFixed(3)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

export interface TableLayout {
  /** Columns aligned right (numbers); the others align left. */
  readonly right?: ReadonlySet<number>;
  /** Widest the table may be (the terminal's columns); unlimited when absent. */
  readonly maxWidth?: number;
  /**
   * Columns that give up width when the table is too wide, first listed first, down to
   * MIN_FLEX characters each; their cells are cut with '…' (the full text is in --json).
   */
  readonly flex?: readonly number[];
}

const GAP = 2;
const MIN_FLEX = 12;

export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], layout: TableLayout = {}): string {
  const right = layout.right ?? new Set<number>();
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  if (layout.maxWidth !== undefined) {
    let excess = widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1) - layout.maxWidth;
    for (const col of layout.flex ?? []) {
      const w = widths[col];
      if (excess <= 0 || w === undefined) break;
      const give = Math.min(excess, Math.max(0, w - MIN_FLEX));
      widths[col] = w - give;
      excess -= give;
    }
  }
  const fit = (cell: string, width: number): string => (cell.length <= width ? cell : `${cell.slice(0, Math.max(0, width - 1))}…`);
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => {
      const w = widths[i] ?? 0;
      const text = fit(c, w);
      return right.has(i) ? text.padStart(w) : text.padEnd(w);
    }).join(' '.repeat(GAP)).trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * The width to fit output to: the terminal's columns; else COLUMNS from the environment
 * (set by shells, and by whoever wants a width for piped output); else none.
 */
export function outputWidth(out: { readonly isTTY?: boolean; readonly columns?: number }, env: Readonly<Record<string, string | undefined>>): number | undefined {
  if (out.isTTY === true && out.columns !== undefined && out.columns > 0) return out.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
}
