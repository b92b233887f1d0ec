/**
 * The error later stages throw when handed a kernel or func whose source has errors.
 * The tags never throw (so a module full of kernels still loads, and tools can list
 * every problem); `assertNoErrors` is where errors turn into an exception.
 */
import type { FnDecl } from './ast.ts';
import type { FuncDef, KernelDef } from './defs.ts';
import type { Diagnostic } from './diagnostics/diagnostic.ts';
import { formatDiagnostics } from './diagnostics/format.ts';
import { InternalCompilerError, TesseraError } from './errors.ts';

export class KernelSyntaxError extends TesseraError {
  /** Every error diagnostic (warnings are left out), in source order. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(def: KernelDef | FuncDef, errors: readonly Diagnostic[]) {
    const first = errors[0];
    super(first?.code ?? 'TSR9000', formatDiagnostics(errors, def.source, { label: def.kind }), first?.hint);
    this.diagnostics = errors;
  }
}

/** Throws `KernelSyntaxError` if `def` has errors; afterwards `def.ast` is known to be set. */
export function assertNoErrors<D extends KernelDef | FuncDef>(def: D): asserts def is D & { readonly ast: FnDecl } {
  const errors = def.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new KernelSyntaxError(def, errors);
  if (def.ast === undefined) throw new InternalCompilerError(`parsing ${def.kind} '${def.name}'`, 'no AST and no error');
}
