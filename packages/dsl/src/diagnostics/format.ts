/**
 * Diagnostics as text, in the rustc/Triton style: what, where (kernel position and,
 * when known, the position in the user's file), the source line with a caret, and how
 * to fix it.
 *
 *   error[TSR1002]: expected ';' after statement but found 'out'
 *     --> kernel:5:22 (at examples/add.ts:9:22)
 *      |
 *    5 |     let y = x[tn] + 1
 *      |                      ^
 *      = hint: end each statement with ';'
 */
import type { KernelSource } from '../defs.ts';
import type { Diagnostic } from './diagnostic.ts';
import { formatFileLocation, locateInFile } from './locate.ts';

export interface FormatOptions {
  /** Name shown for the kernel text in `--> kernel:5:22`; default `kernel`. */
  readonly label?: string;
}

function sourceLine(text: string, line: number): string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
}

/** Characters of a long source line shown before and after the caret. */
const CONTEXT_BEFORE = 60;
const CONTEXT_AFTER = 100;
/** Diagnostics formatted in full; the rest are counted in one closing line. */
export const MAX_FORMATTED = 20;

export function formatDiagnostic(d: Diagnostic, source: KernelSource | string, opts: FormatOptions = {}): string {
  const text = typeof source === 'string' ? source : source.text;
  const origin = typeof source === 'string' ? undefined : source.origin;
  const { start, end } = d.span;
  const label = opts.label ?? 'kernel';
  const width = String(start.line).length;
  const pad = ' '.repeat(width + 1);

  let where = `${label}:${start.line}:${start.col}`;
  if (origin !== undefined) {
    const loc = locateInFile(text, origin, start);
    where += loc.col === undefined ? ` (near ${formatFileLocation(loc)})` : ` (at ${formatFileLocation(loc)})`;
  }

  const full = sourceLine(text, start.line);
  // A long line is shown as a window around the caret, marked with '...' where clipped.
  const from = Math.max(0, start.col - 1 - CONTEXT_BEFORE);
  const to = Math.min(full.length, start.col - 1 + CONTEXT_AFTER);
  const head = from > 0 ? '...' : '';
  const line = `${head}${full.slice(from, to)}${to < full.length ? '...' : ''}`;
  // Keep tabs in the caret's indentation so it lines up under the same characters.
  const indent = head.replace(/./g, ' ') + full.slice(from, start.col - 1).replace(/[^\t]/g, ' ');
  const lastCol = end.line === start.line ? Math.min(end.col, to + 1) : to + 1;
  const carets = '^'.repeat(Math.max(1, lastCol - start.col));

  const out = [
    `${d.severity}[${d.code}]: ${d.message}`,
    `${' '.repeat(width + 1)}--> ${where}`,
    `${pad} |`,
    ` ${start.line} | ${line}`.trimEnd(),
    `${pad} | ${indent}${carets}`,
  ];
  if (d.hint !== undefined) out.push(`${pad} = hint: ${d.hint}`);
  return out.join('\n');
}

/** Several diagnostics, separated by blank lines, in the order given. */
export function formatDiagnostics(list: readonly Diagnostic[], source: KernelSource | string, opts: FormatOptions = {}): string {
  const shown = list.slice(0, MAX_FORMATTED).map((d) => formatDiagnostic(d, source, opts));
  const more = list.length - MAX_FORMATTED;
  if (more > 0) shown.push(`... and ${more} more diagnostic${more === 1 ? '' : 's'} (fix the first ones; later ones often follow from them)`);
  return shown.join('\n\n');
}
