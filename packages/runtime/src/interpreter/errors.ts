/**
 * What the interpreter throws: an IR it cannot run (TSR4001) or arguments that do not fit
 * the kernel (TSR4002). Both are TesseraErrors, so callers catch one root class.
 */
import type { Span } from 'tessera-gpu-dsl';
import { TesseraError } from 'tessera-gpu-dsl/errors';

export class InterpreterUnsupportedError extends TesseraError {
  /** Where the construct is in the kernel source, when the statement is known. */
  readonly span: Span | undefined;
  constructor(kernel: string, what: string, hint: string, span?: Span) {
    const at = span ? ` at kernel:${span.start.line}:${span.start.col}` : '';
    super('TSR4001', `kernel '${kernel}'${at}: ${what} is not supported by the interpreter`, hint);
    this.span = span;
  }
}

export class InterpreterArgumentError extends TesseraError {
  constructor(kernel: string, what: string, hint: string) {
    super('TSR4002', `kernel '${kernel}': ${what}`, hint);
  }
}
