/**
 * Helpers for interpreter tests: kernel source → tile IR, seeded random inputs, running a
 * kernel under a config, and comparing with a plain-JS reference.
 */
import type { HoleValue } from 'tessera-gpu-dsl';
import { checkKernel } from 'tessera-gpu-dsl/check';
import { lowerToIR, resolveConfig, type KernelIR } from 'tessera-gpu-compiler';
import { kernelFromSource } from '../../packages/dsl/src/parse.ts';
import { compileInterpreter, type HostArray, type InterpretResult } from '../../packages/runtime/src/interpreter/index.ts';

/** Parses, checks and lowers a kernel; throws with the diagnostics when any stage fails. */
export function irOf(src: string, holes: readonly HoleValue[] = []): KernelIR {
  const def = kernelFromSource(src, holes);
  if (!def.ast) throw new Error(`parse failed: ${def.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  const r = checkKernel(def.ast, def.holes);
  if (!r.kernel) throw new Error(`check failed: ${r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
  return lowerToIR(r.kernel, { verify: true });
}

/** `irOf`, deferred to first use, so one kernel the front end rejects fails only its own tests. */
export function lazyIr(src: string, holes: readonly HoleValue[] = []): () => KernelIR {
  let ir: KernelIR | undefined;
  return () => (ir ??= irOf(src, holes));
}

/** Diagnostics codes the checker reports for `src` (empty when it accepts it). */
export function checkErrors(src: string, holes: readonly HoleValue[] = []): string[] {
  const def = kernelFromSource(src, holes);
  if (!def.ast) return def.diagnostics.map((d) => d.code);
  const r = checkKernel(def.ast, def.holes);
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random f32 values in [lo, hi). */
export function randF32(r: () => number, n: number, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * r();
  return a;
}

/** `n` random integers in [lo, hi]. */
export function randInt(r: () => number, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
}

export interface RunArgs {
  readonly blocks: Readonly<Record<string, number>>;
  readonly inputs: readonly HostArray[];
  readonly outputs: readonly HostArray[];
  readonly dims: Readonly<Record<string, number>>;
  readonly scalars?: Readonly<Record<string, number>>;
  readonly trace?: boolean;
  readonly traceLimit?: number;
}

/** Runs `ir` in the interpreter under the config with these blocks (WGSL-only knobs at their defaults). */
export function interpret(ir: KernelIR, a: RunArgs): InterpretResult {
  const k = compileInterpreter(ir, resolveConfig(ir, { blocks: a.blocks }));
  const opts = a.trace === undefined ? {} : a.traceLimit === undefined ? { trace: a.trace } : { trace: a.trace, traceLimit: a.traceLimit };
  return k.run(a.inputs, a.outputs, a.dims, a.scalars ?? {}, opts);
}

/** Largest |actual - expected| relative to (atol + rtol·|expected|); ≤ 1 passes. NaNs must match. */
export function closeness(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): { worst: number; at: number } {
  let worst = 0;
  let at = -1;
  if (actual.length !== expected.length) return { worst: Infinity, at: -1 };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] ?? NaN;
    const e = expected[i] ?? NaN;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) return { worst: Infinity, at: i };
      continue;
    }
    if (a === e) continue;
    const q = Math.abs(a - e) / (atol + rtol * Math.abs(e));
    if (q > worst) {
      worst = q;
      at = i;
    }
  }
  return { worst, at };
}
