/**
 * Inline diagnostics: the linter runs the front end (debounced by CodeMirror) and maps each
 * diagnostic's span to document offsets. The analysis is handed on, so the rest of the page
 * (shape controls, WGSL view) updates from the same parse.
 */
import { linter, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import type { Diagnostic } from 'tessera-gpu-dsl';
import { analyze, type Analysis } from '../analyze.ts';

export const LINT_DELAY_MS = 250;

export function toLintDiagnostic(d: Diagnostic, text: string): LintDiagnostic {
  const clamp = (n: number): number => Math.min(Math.max(n, 0), text.length);
  let from = clamp(d.span.start.offset);
  let to = clamp(d.span.end.offset);
  if (to <= from) {
    // An empty span ("expected ';'" just after a token) still needs a visible mark: the
    // character after it, or, at a line end (a newline has no box to underline), the one before.
    if (from < text.length && text[from] !== '\n') to = from + 1;
    else if (from > 0 && text[from - 1] !== '\n') [from, to] = [from - 1, from];
    else to = from;
  }
  return {
    from,
    to,
    severity: d.severity,
    source: d.code,
    message: d.hint === undefined ? d.message : `${d.message}\nhint: ${d.hint}`,
  };
}

export function kernelLinter(onAnalysis: (a: Analysis) => void): Extension {
  return linter(
    (view) => {
      const analysis = analyze(view.state.doc.toString());
      onAnalysis(analysis);
      return analysis.diagnostics.map((d) => toLintDiagnostic(d, analysis.source));
    },
    { delay: LINT_DELAY_MS },
  );
}
