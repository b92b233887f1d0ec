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

  const line = sourceLine(text, start.line);
  // Keep tabs in the caret's indentation so it lines up under the same characters.
  const indent = line.slice(0, start.col - 1).replace(/[^\t]/g, ' ');
  const lastCol = end.line === start.line ? end.col : line.length + 1;
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
  return list.map((d) => formatDiagnostic(d, source, opts)).join('\n\n');
}
