/**
 * The pass list, in order. Each pass is a pure function KernelIR → KernelIR.
 *
 * 1. hoistMaterializations — reductions, scans and `@` become statements of their own,
 *    so every remaining value tree is elementwise. Everything after (both backends)
 *    relies on this.
 * 2. fuseDotAccumulate — `acc += a @ b` becomes one dot that accumulates into `acc`
 *    (`dot(a, b, acc=%acc)`). Needs (1): it matches the `materialize` + `assign` pair
 *    that hoisting produces. Without it the product is computed into a scratch tile and
 *    added elementwise afterwards: an extra tile of storage and an extra pass over it.
 * 3. lowerBatchedDot — a batched `@` ([b, m, k] @ [b, k, n]) becomes a loop over the batch
 *    elements of its tile, each a 2-D `@` written into its slice of the result, so no
 *    backend lowers a batched product itself. After (2), so `acc += a @ b` arrives fused
 *    and the loop can update the accumulator in place; it keeps (1)'s rules (its products
 *    and sums are `materialize` statements).
 * 4. foldConstants — an operation over constants becomes its value, computed as both
 *    backends compute it. WGSL folds constant expressions itself, at shader creation,
 *    and an overflow there (`-1.0 / 0.0`) is a compile error; after this pass no emitted
 *    operation has only constant operands. After hoisting, whose
 *    verifier rules it keeps, so shared work is already one statement.
 */
import type { KernelIR } from '../ir/nodes.ts';
import { verifyKernel } from '../ir/verify.ts';
import { foldConstants } from './fold-constants.ts';
import { fuseDotAccumulate } from './fuse-dot-accumulate.ts';
import { hoistMaterializations } from './hoist-materializations.ts';
import { lowerBatchedDot } from './lower-batched-dot.ts';

interface Pass {
  readonly name: string;
  run(k: KernelIR): KernelIR;
}

export const PASSES: readonly Pass[] = [
  {
    name: 'hoistMaterializations',
    run: (k) => ({ ...k, body: hoistMaterializations(k.body), funcs: k.funcs.map((f) => ({ ...f, body: hoistMaterializations(f.body) })) }),
  },
  {
    name: 'fuseDotAccumulate',
    // Funcs are scalar-only: they hold no dots.
    run: (k) => ({ ...k, body: fuseDotAccumulate(k.body) }),
  },
  {
    name: 'lowerBatchedDot',
    run: (k) => ({ ...k, body: lowerBatchedDot(k.body) }),
  },
  {
    name: 'foldConstants',
    run: (k) => ({ ...k, body: foldConstants(k.body), funcs: k.funcs.map((f) => ({ ...f, body: foldConstants(f.body) })) }),
  },
];

export function runPasses(k: KernelIR, opts: { verify: boolean }): KernelIR {
  let ir = k;
  if (opts.verify) verifyKernel(ir, { hoisted: false }, 'build');
  for (const pass of PASSES) {
    ir = pass.run(ir);
    if (opts.verify) verifyKernel(ir, { hoisted: true }, pass.name);
  }
  return ir;
}
