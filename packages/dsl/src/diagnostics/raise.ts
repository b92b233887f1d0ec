/**
 * Turning a catalogue code into a Diagnostic. Generic over the catalogue, so the
 * checker (TSR2xxx) and later stages reuse it with their own tables.
 */
import type { Span } from '../ast.ts';
import { fillTemplate, type CatalogueEntry } from './catalogue-entry.ts';
import type { Diagnostic } from './diagnostic.ts';

export type Catalogue = Readonly<Record<string, CatalogueEntry>>;
export type DiagnosticArg = string | number;

/** Longest argument text a message quotes: a pasted 1 MB token must not make a 1 MB message. */
const MAX_ARG = 80;

function clipArg(a: DiagnosticArg): DiagnosticArg {
  return typeof a === 'string' && a.length > MAX_ARG ? `${a.slice(0, MAX_ARG - 3)}...` : a;
}

/** The diagnostic for `code` in `catalogue` at `span`, its templates filled from `args`. */
export function raise<C extends Catalogue>(catalogue: C, code: keyof C & string, span: Span, ...args: DiagnosticArg[]): Diagnostic {
  const entry: CatalogueEntry | undefined = catalogue[code];
  if (entry === undefined) throw new Error(`internal: no catalogue entry ${code}`);
  return {
    code,
    severity: entry.severity,
    message: fillTemplate(entry.message, args.map(clipArg)),
    hint: entry.hint === undefined ? undefined : fillTemplate(entry.hint, args.map(clipArg)),
    span,
  };
}

/** `raise` bound to one catalogue: `const raiseCheck = createRaiser(CHECK_CODES)`. */
export function createRaiser<C extends Catalogue>(
  catalogue: C,
): (code: keyof C & string, span: Span, ...args: DiagnosticArg[]) => Diagnostic {
  return (code, span, ...args) => raise(catalogue, code, span, ...args);
}
