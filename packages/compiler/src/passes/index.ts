/**
 * The pass list, in order. Each pass is a pure function KernelIR → KernelIR.
 *
 * 1. hoistMaterializations — reductions, scans and `@` become statements of their own,
 *    so every remaining value tree is elementwise. Everything after (both backends)
 *    relies on this.
 */
import type { KernelIR } from '../ir/nodes.ts';
import { verifyKernel } from '../ir/verify.ts';
import { hoistMaterializations } from './hoist-materializations.ts';

interface Pass {
  readonly name: string;
  run(k: KernelIR): KernelIR;
}

export const PASSES: readonly Pass[] = [
  {
    name: 'hoistMaterializations',
    run: (k) => ({ ...k, body: hoistMaterializations(k.body), funcs: k.funcs.map((f) => ({ ...f, body: hoistMaterializations(f.body) })) }),
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
