/**
 * Inputs to tune on: random, seeded, never zeros (an all-zero input hides wrong outputs:
 * many broken kernels still write zeros). Floats are uniform in [-1, 1); integers small.
 */
import type { KernelIR } from 'tessera-gpu-compiler';
import type { Device } from '../device.ts';
import type { Tensor } from '../tensor.ts';
import { makeRng } from './rng.ts';
import { bytesPerElement } from '../dtype.ts';
import { checkStorageSize } from '../validate.ts';

export type InputArg = Tensor | number;

/** Arguments for `ir` with these dims (and scalars, which default to 1), on `device`. */
export function randomInputs(device: Device, ir: KernelIR, dims: Readonly<Record<string, number>>, scalars: Readonly<Record<string, number>> = {}, seed = 1): InputArg[] {
  const rng = makeRng(seed);
  return ir.params.map((p) => {
    if (p.kind === 'scalar') return scalars[p.name] ?? 1;
    const t = p.tensor;
    const shape = t.dims.map((d) => (d.kind === 'const' ? d.value : dims[d.name] ?? 1));
    const n = shape.reduce((a, b) => a * b, 1);
    // Before filling a host array of n elements: a huge shape is a typed error, not a RangeError.
    checkStorageSize(device, n * bytesPerElement(t.dtype), `input '${t.name}' ${t.dtype}[${shape.join(', ')}]`);
    switch (t.dtype) {
      case 'f32':
      case 'f16':
        return device.tensor(Float32Array.from({ length: n }, () => 2 * rng.next() - 1), shape, t.dtype);
      case 'i32':
        return device.tensor(Int32Array.from({ length: n }, () => rng.int(32) - 16), shape);
      case 'u32':
        return device.tensor(Uint32Array.from({ length: n }, () => rng.int(32)), shape);
      case 'bool':
        return device.tensor(Uint8Array.from({ length: n }, () => rng.int(2)), shape, 'bool');
    }
  });
}

export function disposeInputs(args: readonly InputArg[]): void {
  for (const a of args) if (typeof a !== 'number') a.destroy();
}
