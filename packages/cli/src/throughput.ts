/**
 * The throughput figure of the autotune table, from a deliberately simple estimate:
 *   bytes = every tensor argument and output, element count × dtype size, once;
 *   FLOPs = 2·M·N·K summed over the kernel's `@`s (M, N, K the full sizes of the dims
 *           its operand tiles cover), else one per output element.
 * Kernels with `@` report GFLOP/s, others GB/s. Real traffic differs (re-reads, caches):
 * compare configs with it, not adapters.
 */
import type { Axis, Dim, KernelIR, Stmt, Value } from 'tessera-gpu-compiler';
import { operands, stmtValues } from 'tessera-gpu-compiler';
import { evalDimArith } from 'tessera-gpu-dsl/check';

export interface Work {
  readonly bytes: number;
  readonly flops: number;
  readonly unit: 'GFLOP/s' | 'GB/s';
}

const BYTES = { f32: 4, f16: 2, i32: 4, u32: 4, bool: 4 } as const;

export function estimateWork(ir: KernelIR, dims: Readonly<Record<string, number>>): Work {
  // Dims written as arithmetic (`A + B` in an output type), computed as a call would.
  const sizes = new Map(Object.entries(dims));
  for (const d of ir.derivedDims) {
    const r = evalDimArith(d.arith, (n) => sizes.get(n));
    if ('value' in r) sizes.set(d.name, r.value);
  }
  const size = (d: Dim): number => (d.kind === 'const' ? d.value : sizes.get(d.name) ?? 0);
  const axisSize = (a: Axis | undefined): number => (a === undefined || a.kind === 'unit' ? 1 : a.kind === 'block' ? size(a.loop.dim) : size(a.dim));
  let bytes = 0;
  const elements = (dims: readonly Dim[]): number => dims.reduce((n: number, d) => n * size(d), 1);
  for (const p of ir.params) if (p.kind === 'tensor') bytes += elements(p.tensor.dims) * BYTES[p.tensor.dtype];
  for (const o of ir.outputs) bytes += elements(o.dims) * BYTES[o.dtype];
  let dotFlops = 0;
  const visitValue = (v: Value): void => {
    if (v.kind === 'dot') dotFlops += 2 * axisSize(v.a.type.axes[0]) * axisSize(v.a.type.axes[1]) * axisSize(v.b.type.axes[1]);
    else operands(v).forEach(visitValue);
  };
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      stmtValues(s).forEach(visitValue);
      if (s.kind === 'tileLoop' || s.kind === 'rangeLoop') visit(s.body);
      if (s.kind === 'if') {
        visit(s.then);
        visit(s.otherwise);
      }
    }
  };
  visit(ir.body);
  if (dotFlops > 0) return { bytes, flops: dotFlops, unit: 'GFLOP/s' };
  return { bytes, flops: ir.outputs.reduce((n, o) => n + elements(o.dims), 0), unit: 'GB/s' };
}

/** Throughput at `ms` per call, in the work's unit. */
export function throughput(work: Work, ms: number): number {
  const perSecond = 1e3 / ms;
  return (work.unit === 'GFLOP/s' ? work.flops : work.bytes) * perSecond / 1e9;
}
