/**
 * What the interpreter throws: an IR it cannot run (TSR4001) or arguments that do not fit
 * the kernel (TSR4002). Both are TesseraErrors, so callers catch one root class.
 */
import { TesseraError } from 'tessera-gpu-dsl/errors';

export class InterpreterUnsupportedError extends TesseraError {
  constructor(kernel: string, what: string, hint: string) {
    super('TSR4001', `kernel '${kernel}': ${what} is not supported by the interpreter`, hint);
  }
}

export class InterpreterArgumentError extends TesseraError {
  constructor(kernel: string, what: string, hint: string) {
    super('TSR4002', `kernel '${kernel}': ${what}`, hint);
  }
}
