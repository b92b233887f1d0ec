/**
 * Tensors larger than one storage binding. WebGPU caps one binding at
 * maxStorageBufferBindingSize (128 MiB on lavapipe and Chrome's common default) while one
 * buffer may be far larger (maxBufferSize: 4 GiB on lavapipe), so a 50257×768 f32
 * embedding table (154 MB) fits a buffer but not a binding. Such a tensor stays one
 * GPUBuffer and is bound as several consecutive ranges, each its own `@binding`: range j
 * starts at byte j·step, where the step is the largest multiple of the adapter's
 * minStorageBufferOffsetAlignment (and of 16, the widest array element) within the
 * binding limit. Every access picks the range from the element index (ranged-access.ts).
 *
 * How many ranges a tensor needs depends on the call's dims, so the counts are an input
 * of compilation and part of the artifact's cache key: a tensor within one binding keeps
 * today's single declaration and inline accesses.
 */
import type { DType, KernelIR } from '../ir/nodes.ts';
import type { DeviceLimits } from '../config/validate.ts';
import { TesseraError } from 'tessera-gpu-dsl/errors';
import type { SourceSpan } from '../artifact.ts';

/** WebGPU's default minStorageBufferOffsetAlignment, the largest an adapter may report. */
const DEFAULT_OFFSET_ALIGNMENT = 256;

/** Bytes per stored element (bool is stored as u32). */
export const elementBytes = (d: DType): number => (d === 'f16' ? 2 : 4);

/** Bytes between the starts of consecutive ranges of a ranged tensor. */
export function rangeStepBytes(limits: DeviceLimits): number {
  // Both are powers of two, so the larger is a multiple of the smaller.
  const align = Math.max(16, limits.minStorageBufferOffsetAlignment ?? DEFAULT_OFFSET_ALIGNMENT);
  return Math.floor(limits.maxStorageBufferBindingSize / align) * align;
}

/** How many bindings a tensor of `bytes` data bytes takes (its storage is padded to 16 bytes). */
export function rangeCount(bytes: number, limits: DeviceLimits): number {
  const padded = Math.ceil(Math.max(bytes, 1) / 16) * 16;
  if (padded <= limits.maxStorageBufferBindingSize) return 1;
  return Math.ceil(padded / rangeStepBytes(limits));
}

/**
 * The range count of every tensor of `k` that needs more than one binding at these dims
 * (tensor name → count); tensors within one binding are left out.
 */
export function storageRanges(k: KernelIR, dims: Readonly<Record<string, number>>, limits: DeviceLimits): Record<string, number> {
  const out: Record<string, number> = {};
  const tensors = [...k.params.flatMap((p) => (p.kind === 'tensor' ? [p.tensor] : [])), ...k.outputs];
  for (const t of tensors) {
    const elements = t.dims.reduce((n, d) => n * (d.kind === 'const' ? d.value : Object.hasOwn(dims, d.name) ? dims[d.name] ?? 0 : 0), 1);
    const count = rangeCount(elements * elementBytes(t.dtype), limits);
    if (count > 1) out[t.name] = count;
  }
  return out;
}

/**
 * A kernel that binds more storage buffers than the adapter allows in one shader stage
 * (maxStorageBuffersPerShaderStage: 8 guaranteed, 16 on lavapipe): every tensor parameter
 * and result is one binding, a ranged tensor one per range. Refused before any pipeline
 * is made, where WebGPU would reject the bind group layout.
 */
export class BindingLimitError extends TesseraError {
  /**
   * Where the kernel source declares the first tensor past the limit (a parameter, or the
   * `let` allocating an output), when known; the message names it as `kernel:line:col`.
   */
  readonly span: SourceSpan | undefined;
  constructor(kernel: string, tensors: readonly BoundTensor[], limits: { readonly maxStorageBufferBindingSize: number; readonly maxStorageBuffersPerShaderStage: number }) {
    const total = tensors.reduce((n, t) => n + t.count, 0);
    const list = tensors.map((t) => (t.count > 1 ? `'${t.name}' ×${t.count}` : `'${t.name}'`)).join(', ');
    const ranged = tensors.filter((t) => t.count > 1).map((t) => `'${t.name}' is larger than one binding (${limits.maxStorageBufferBindingSize} bytes) and takes ${t.count}`);
    const first = firstPastLimit(tensors, limits.maxStorageBuffersPerShaderStage);
    const span = first?.span;
    const at = span ? ` at kernel:${span.start.line}:${span.start.col}:` : '';
    const past = first ? `'${first.name}' is the first past the limit. ` : '';
    super('TSR3004',
      `kernel '${kernel}'${at} binds ${total} storage buffers (${list}); the adapter allows ${limits.maxStorageBuffersPerShaderStage} per shader stage (maxStorageBuffersPerShaderStage)`,
      `${past}${ranged.length > 0 ? `${ranged.join('; ')}. ` : ''}Pass fewer tensors: pack tensors of one dtype into one (concatenate them and pass each part's offset as a scalar parameter), or split the kernel in two.`);
    this.span = span;
  }
}

/** A tensor's share of a kernel's storage bindings, and where the source declares it. */
export interface BoundTensor {
  readonly name: string;
  readonly count: number;
  readonly span?: SourceSpan | undefined;
}

/** The tensor, in binding order (inputs, then outputs), whose bindings go past `max`. */
function firstPastLimit(tensors: readonly BoundTensor[], max: number): BoundTensor | undefined {
  let n = 0;
  for (const t of tensors) {
    n += t.count;
    if (n > max) return t;
  }
  return undefined;
}
