/** Random inputs for a run and the comparison against a reference. */
import type { ScalarType } from 'tessera-gpu-dsl';
import { concreteShape, type Signature } from './analyze.ts';
import type { HostArg, HostData } from './engine.ts';

/** mulberry32: seeded, so a run is reproducible for a given seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomData(dtype: ScalarType, n: number, next: () => number): HostData {
  switch (dtype) {
    case 'f32':
    case 'f16':
      return Float32Array.from({ length: n }, () => next() * 2 - 1);
    case 'i32':
      return Int32Array.from({ length: n }, () => Math.floor(next() * 200) - 100);
    case 'u32':
      return Uint32Array.from({ length: n }, () => Math.floor(next() * 200));
    case 'bool':
      return Uint8Array.from({ length: n }, () => (next() < 0.5 ? 0 : 1));
  }
}

export function makeArgs(
  sig: Signature,
  dims: Readonly<Record<string, number>>,
  scalars: Readonly<Record<string, number>>,
  seed = 1,
): HostArg[] {
  const next = rng(seed);
  return sig.params.map((p): HostArg => {
    if (p.kind === 'scalar') return { kind: 'scalar', name: p.name, value: scalars[p.name] ?? 1 };
    const shape = concreteShape(p.dims, dims);
    const n = shape.reduce((a, b) => a * b, 1);
    return { kind: 'tensor', name: p.name, dtype: p.dtype, shape, data: randomData(p.dtype, n, next) };
  });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? NaN) - (b[i] ?? NaN));
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/**
 * Why these shapes cannot run on an adapter whose buffers hold at most `maxBytes`, or
 * undefined: a tensor (input or output) too large is said with its size, before any
 * allocation is tried.
 */
export function sizeProblem(sig: Signature, dims: Readonly<Record<string, number>>, maxBytes: number): string | undefined {
  const tensors = [...sig.params.flatMap((p) => (p.kind === 'tensor' ? [p] : [])), ...sig.outputs];
  for (const t of tensors) {
    const shape = concreteShape(t.dims, dims, sig.derived);
    const bytes = shape.reduce((a, b) => a * b, 1) * 4;
    if (bytes > maxBytes) {
      return `Shape: ${t.name}: ${t.dtype}[${shape.join(', ')}] needs ${mib(bytes)}, more than this adapter's largest buffer (${mib(maxBytes)}); use smaller sizes`;
    }
  }
  return undefined;
}

function mib(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
