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
  {
    name: 'offset stores: cat as one kernel, out[tm, tn] over A then out[tm, A + tn] over B',
    source: `fn cat(a: f32[M, A], b: f32[M, B]) -> f32[M, A + B] {
  let out = empty([M, A + B], f32);
  for tm in tile(M) {
    for tn in tile(A) {
      out[tm, tn] = a[tm, tn];
    }
    for tn in tile(B) {
      out[tm, A + tn] = b[tm, tn];
    }
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 8, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 4, tn: 32 }, workgroupSize: 32 }],
    sizes: catSized(8200),
  },
  {
    name: 'moved tile indices: reads x[tn + 1], x[tn - 1] give 0 outside; a store out[tn - 1] skips position -1',
    source: `fn k(x: f32[M, N]) -> (f32[M, N], f32[M, N]) {
  let diff = empty_like(x);
  let left = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    diff[tm, tn] = x[tm, tn + 1] - x[tm, tn - 1];
    left[tm, tn - 1] = x[tm, tn];
  }
  return (diff, left);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 8, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 2, tn: 8 }, workgroupSize: 16 }],
    sizes: ([[1, 1], [13, 37], [5, 70]] as const).map(([m, n], i) => () => {
      const x = f32(m * n, 8300 + i);
      const at = (r: number, c: number): number => (c >= 0 && c < n ? x[r * n + c] ?? 0 : 0);
      const diff: number[] = [];
      const left: number[] = [];
      for (let r = 0; r < m; r++) {
        for (let c = 0; c < n; c++) {
          diff.push(Math.fround(at(r, c + 1) - at(r, c - 1)));
          left.push(at(r, c + 1));
        }
      }
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [diff, left] };
    }),
  },
  {
    name: 'output dims N - 1 and 2 * N: numpy diff via out[tn - 1], duplicate at offset N',
    source: `fn k(x: f32[N]) -> (f32[N - 1], f32[2 * N]) {
  let diff = empty([N - 1], f32);
  let twice = empty([2 * N], f32);
  for tn in tile(N) {
    diff[tn - 1] = x[tn] - x[tn - 1];
    twice[tn] = x[tn];
    twice[N + tn] = x[tn] * 2.0;
  }
  return (diff, twice);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tn: 16 }, workgroupSize: 32 }, { blocks: { tn: 64 }, workgroupSize: 64 }],
    sizes: [2, 37, 70].map((n, i) => () => {
      const x = f32(n, 8400 + i);
      const diff = Array.from({ length: n - 1 }, (_, j) => Math.fround((x[j + 1] ?? 0) - (x[j] ?? 0)));
      const twice = [...x, ...[...x].map((v) => Math.fround(v * 2))];
      return { inputs: [{ dtype: 'f32', shape: [n], data: x }], scalars: [], expected: [diff, twice] };
    }),
  },
  {
    name: 'a tile loop over (N + 1) / 2: sums of neighbouring pairs',
    source: `fn pairs(x: f32[N]) -> f32[(N + 1) / 2] {
  let out = empty([(N + 1) / 2], f32);
  for th in tile((N + 1) / 2) {
    let i = 2 * th.index;
    out[th] = x[i] + where(i + 1 < N, x[i + 1], 0.0);
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { th: 8 }, workgroupSize: 32 }, { blocks: { th: 32 }, workgroupSize: 32 }],
    sizes: [1, 37, 70].map((n, i) => () => {
      const x = f32(n, 8450 + i);
      const out = Array.from({ length: Math.floor((n + 1) / 2) }, (_, j) => Math.fround((x[2 * j] ?? 0) + (2 * j + 1 < n ? x[2 * j + 1] ?? 0 : 0)));
      return { inputs: [{ dtype: 'f32', shape: [n], data: x }], scalars: [], expected: [out] };
    }),
  },
  {
    name: 'atomic_add of a [tm, 1] column (a keepdim sum) into out[tm] and, moved, into out[M + tm]',
    source: `fn k(x: f32[M, N]) -> (f32[M], f32[2 * M]) {
  let rows = zeros([M], f32);
  let both = zeros([2 * M], f32);
  for (tm, tn) in tile([M, N]) {
    let t = x[tm, tn];
    atomic_add(rows[tm], sum(t, axis=1, keepdim=true));
    atomic_add(both[tm], sum(t, axis=1, keepdim=true));
    atomic_add(both[M + tm], sum(t * t, axis=1, keepdim=true));
  }
  return (rows, both);
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: [{ blocks: { tm: 8, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 2, tn: 64 }, workgroupSize: 32 }],
    sizes: ([[1, 1], [13, 37], [40, 9]] as const).map(([m, n], i) => () => {
      const x = f32(m * n, 8500 + i);
      const sums = (f: (v: number) => number): number[] => Array.from({ length: m }, (_, r) => {
        let s = 0;
        for (let c = 0; c < n; c++) s += f(x[r * n + c] ?? 0);
        return s;
      });
      const rows = sums((v) => v);
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [rows, [...rows, ...sums((v) => v * v)]] };
    }),
  },
];
