/**
 * From a kernel definition to its tile IR, once: parse errors and check errors become one
 * typed error that shows every diagnostic at the kernel's source; warnings are kept.
 */
import type { KernelDef } from 'tessera-gpu-dsl';
import { formatDiagnostics, type Diagnostic } from 'tessera-gpu-dsl';
import { checkKernel } from 'tessera-gpu-dsl/check';
import { TesseraError } from 'tessera-gpu-dsl/errors';
import { lowerToIR, type KernelIR } from 'tessera-gpu-compiler';

/** The kernel source has errors (syntax or type): every one is in the message. */
export class KernelError extends TesseraError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(def: KernelDef, errors: readonly Diagnostic[]) {
    const first = errors[0];
    super(first?.code ?? 'TSR9000', formatDiagnostics(errors, def.source, { label: 'kernel' }), first?.hint);
    this.diagnostics = errors;
  }
}

export interface PreparedKernel {
  readonly ir: KernelIR;
  readonly warnings: readonly Diagnostic[];
}

export function prepareKernel(def: KernelDef, opts: { verify?: boolean } = {}): PreparedKernel {
  const parseErrors = def.diagnostics.filter((d) => d.severity === 'error');
  if (parseErrors.length > 0 || !def.ast) throw new KernelError(def, parseErrors);
  const checked = checkKernel(def.ast, def.holes);
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !checked.kernel) throw new KernelError(def, errors);
  const warnings = [...def.diagnostics, ...checked.diagnostics].filter((d) => d.severity === 'warning');
  return { ir: lowerToIR(checked.kernel, { verify: opts.verify ?? false }), warnings };
}
