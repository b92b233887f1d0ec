/**
 * Diagnostics: what the front end (and the compiler, for config errors that point at
 * source) reports to the kernel author. Every diagnostic comes from one catalogue entry
 * (see `catalogue.ts`), so codes, messages and hints stay consistent and testable.
 */
import type { Span } from '../ast.ts';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Catalogue code, e.g. `TSR1001`. Stable: tests and users may match on it. */
  readonly code: string;
  readonly severity: Severity;
  /** The message with its placeholders filled in. */
  readonly message: string;
  /** How to fix it. */
  readonly hint: string | undefined;
  /** Where in the kernel source (template text; holes rendered as `${N}`). */
  readonly span: Span;
}

/** Where a kernel's template sits in a user's file, when it can be known. */
export interface SourceOrigin {
  /** File path or URL as the user would recognise it. */
  readonly file: string;
  /** 1-based line and column of the template's first character (just after the backtick). */
  readonly line: number;
  readonly col: number;
}
