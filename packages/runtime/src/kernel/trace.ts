/**
 * traceKernel: a kernel run on the interpreter with per-tile tracing, for debugging. Its
 * own file, so the modules it needs (init, tensors) are plain static imports.
 */
import type { ConfigInput, KernelConfig, KernelIR } from 'tessera-gpu-compiler';
import { init } from '../init.ts';
import { Tensor } from '../tensor.ts';
import { bindArgs } from './bind-args.ts';
import { runInterpreted } from './interpreted.ts';
import type { TileTrace } from '../interpreter/index.ts';

export interface TraceOptions {
  readonly config?: ConfigInput;
  /** Most writes recorded in all (default 10000). */
  readonly traceLimit?: number;
}

export interface TraceResult {
  /** Per top-level tile: its block indices and every element it wrote, with the value. */
  readonly traces: TileTrace[];
  /** The kernel's outputs, read back to the host. */
  readonly outputs: Awaited<ReturnType<Tensor['read']>>[];
}

/**
 * Runs a kernel on the interpreter with per-tile tracing, whatever device its arguments
 * live on (they are read back first): which tile wrote which elements, with which values.
 * A debugging aid for small inputs.
 */
export async function traceKernel(
  kernel: { prepared(): { ir: KernelIR }; resolveConfig(c?: ConfigInput): KernelConfig },
  args: readonly (Tensor | number)[],
  options: TraceOptions = {},
): Promise<TraceResult> {
  const ir = kernel.prepared().ir;
  const cpu = await init({ backend: 'interpreter' });
  try {
    const copies = await Promise.all(args.map(async (a) =>
      a instanceof Tensor ? cpu.tensor(await a.read(), a.shape, a.dtype) : a));
    const bound = bindArgs(ir, copies, (v): v is Tensor => v instanceof Tensor);
    const outputs = ir.outputs.map((o) => cpu.zeros(o.dims.map((d) => (d.kind === 'const' ? d.value : bound.dims[d.name] ?? 0)), o.dtype));
    const traces = runInterpreted(ir, kernel.resolveConfig(options.config), bound, outputs, { trace: true, traceLimit: options.traceLimit ?? 10000 }) ?? [];
    return { traces, outputs: await Promise.all(outputs.map((o) => o.read())) };
  } finally {
    cpu.dispose();
  }
}
