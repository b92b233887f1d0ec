/**
 * Conformance cases for output shapes computed from the inputs' (`f32[M, A + B]`,
 * `empty([2 * N], f32)`, `f32[(N + 1) / 2]`), offset stores into them (`out[tm, A + tn]`),
 * and [tm, 1] columns added atomically into a 1-D output. Every case has a plain-JS
 * reference, at ragged sizes.
 */
import type { ConformanceCase, Sized } from './cases.ts';
import { f32 } from './cases.ts';

/** Row-major [m, a] and [m, b] side by side: [m, a + b]. */
function catColumns(x: Float32Array, y: Float32Array, m: number, a: number, b: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < m; r++) {
    for (let c = 0; c < a; c++) out.push(x[r * a + c] ?? 0);
    for (let c = 0; c < b; c++) out.push(y[r * b + c] ?? 0);
  }
  return out;
}

const CAT_SIZES: readonly (readonly [number, number, number])[] = [[1, 1, 1], [13, 37, 5], [40, 9, 70]];

function catSized(seed: number): (() => Sized)[] {
  return CAT_SIZES.map(([m, a, b], i) => () => {
    const x = f32(m * a, seed + i);
    const y = f32(m * b, seed + 50 + i);
    return {
      inputs: [{ dtype: 'f32', shape: [m, a], data: x }, { dtype: 'f32', shape: [m, b], data: y }],
      scalars: [],
      expected: [catColumns(x, y, m, a, b)],
    };
  });
}

export const SHAPES: ConformanceCase[] = [
  {
    name: 'output dims as expressions: cat of two tensors, one tile loop over A + B',
    source: `fn cat(a: f32[M, A], b: f32[M, B]) -> f32[M, A + B] {
  let out = empty([M, A + B], f32);
  for (tm, tn) in tile([M, A + B]) {
    out[tm, tn] = where(tn.index < A, a[tm, tn.index], b[tm, tn.index - A]);
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 8, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 4, tn: 32 }, workgroupSize: 32 }],
    sizes: catSized(8100),
  },
];
