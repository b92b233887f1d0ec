/**
 * Inline diagnostics: the linter runs the front end (debounced by CodeMirror) and maps each
 * diagnostic's span to document offsets. The analysis is handed on, so the rest of the page
 * (shape controls, WGSL view) updates from the same parse.
 */
import { linter, type Diagnostic as LintDiagnostic } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import type { Diagnostic } from '@tessera/dsl';
import { analyze, type Analysis } from '../analyze.ts';

export const LINT_DELAY_MS = 250;

export function toLintDiagnostic(d: Diagnostic, docLength: number): LintDiagnostic {
  const from = Math.min(Math.max(d.span.start.offset, 0), docLength);
  // An empty span (e.g. "expected ';'" at the end of a line) still gets a visible mark.
  const to = Math.min(Math.max(d.span.end.offset, from + 1), docLength);
  return {
    from,
    to: Math.max(to, from),
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
      return analysis.diagnostics.map((d) => toLintDiagnostic(d, view.state.doc.length));
    },
    { delay: LINT_DELAY_MS },
  );
}
