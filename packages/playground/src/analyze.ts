/**
 * The front end, run on every edit: parse + check the editor text, and describe the
 * kernel's signature (symbolic dims, tensor and scalar parameters) for the shape controls.
 * Never throws: a crash inside the front end comes back as a diagnostic.
 */
import { kernelFromSource, ownValue, type Diagnostic, type KernelDef, type ScalarType, type Span } from 'tessera-gpu-dsl';
import { checkKernel, evalDimArith, type CheckedKernel, type DimArith, type Dim } from 'tessera-gpu-dsl/check';
import { makeKernel, type Kernel } from 'tessera-gpu-runtime';

export type Param =
  | { readonly kind: 'tensor'; readonly name: string; readonly dtype: ScalarType; readonly dims: readonly Dim[] }
  | { readonly kind: 'scalar'; readonly name: string; readonly dtype: ScalarType };

/** A tile loop whose block size the config chooses (not fixed with `block=` in the source). */
export interface TunableLoop {
  readonly name: string;
  readonly level: 'grid' | 'nested';
}

export interface Signature {
  readonly name: string;
  /** Symbolic dims in order of first appearance in the parameters. */
  readonly dims: readonly string[];
  readonly params: readonly Param[];
  readonly outputs: readonly { readonly name: string; readonly dtype: ScalarType; readonly dims: readonly Dim[] }[];
  readonly loops: readonly TunableLoop[];
  /** Output dims written as expressions of others (`A + B`), by their canonical text. */
  readonly derived: ReadonlyMap<string, DimArith>;
}

export interface Analysis {
  readonly source: string;
  readonly def: KernelDef;
  /** Parse and check diagnostics, in source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Present when there are no errors. */
  readonly kernel: Kernel | undefined;
  readonly signature: Signature | undefined;
}

export function analyze(source: string): Analysis {
  const def = kernelFromSource(source);
  const diagnostics: Diagnostic[] = [...def.diagnostics];
  let checked: CheckedKernel | undefined;
  if (def.ast !== undefined) {
    try {
      const r = checkKernel(def.ast, def.holes);
      diagnostics.push(...r.diagnostics);
      checked = r.kernel;
    } catch (error) {
      diagnostics.push(internalError(def.ast.span, error));
    }
  }
  diagnostics.sort((a, b) => a.span.start.offset - b.span.start.offset);
  const ok = checked !== undefined && !diagnostics.some((d) => d.severity === 'error');
  return {
    source,
    def,
    diagnostics,
    kernel: ok ? makeKernel(def) : undefined,
    signature: checked === undefined ? undefined : signatureOf(checked),
  };
}

function signatureOf(k: CheckedKernel): Signature {
  const params: Param[] = k.params.map((p) =>
    p.kind === 'tensor'
      ? { kind: 'tensor', name: p.tensor.name, dtype: p.tensor.dtype, dims: p.tensor.dims }
      : { kind: 'scalar', name: p.name, dtype: p.dtype });
  const loops: TunableLoop[] = [];
  for (const shape of k.loops.values()) {
    if (shape.kind !== 'tile') continue;
    for (const l of shape.loops) if (l.fixedBlock === undefined) loops.push({ name: l.name, level: l.level });
  }
  return {
    name: k.name,
    dims: [...new Set(k.dims.map((d) => d.name))],
    params,
    outputs: k.outputs.map((o) => ({ name: o.name, dtype: o.dtype, dims: o.dims })),
    loops,
    derived: new Map(k.derived.map((d) => [d.name, d.arith])),
  };
}

function internalError(span: Span, error: unknown): Diagnostic {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: 'TSR9000',
    severity: 'error',
    message: `internal error in the checker: ${detail}`,
    hint: 'this is a bug in Tessera; please report it with this kernel',
    span: { start: span.start, end: span.start },
  };
}

/**
 * The value of each dim in a shape, for a tensor's concrete shape; an output dim written
 * as an expression (`A + B`) is computed from the others, as the runtime does at a call.
 * A dim without a value (or an expression that has none, e.g. a negative size) is 0.
 */
export function concreteShape(dims: readonly Dim[], values: Readonly<Record<string, number>>, derived: ReadonlyMap<string, DimArith> = new Map()): number[] {
  return dims.map((d) => {
    if (d.kind === 'const') return d.value;
    const given = ownValue(values, d.name);
    if (given !== undefined) return given;
    const arith = derived.get(d.name);
    if (arith === undefined) return 0;
    const r = evalDimArith(arith, (name) => ownValue(values, name));
    return 'value' in r && r.value >= 0 ? r.value : 0;
  });
}
