/**
 * Conformance cases where a tile's program reads back an output it stored itself, at
 * elements other invocations wrote: a row stored by one loop and reduced by the next, and
 * the same across iterations of a scalar loop. On WebGPU these need a storage barrier
 * between the store and the read; the other backends run a tile's statements in order.
 */
import type { ConformanceCase } from './cases.ts';
import { f32 } from './cases.ts';

const SIZES = [[7, 1001], [33, 257], [5, 4099]] as const;
const CONFIGS = [{}, { blocks: { tm: 1, tn: 64 } }, { blocks: { tm: 4, tn: 256 } }, { blocks: { tm: 2, tn: 128 }, workgroupSize: 64 }];

/** out = 2x / rowsum(2x), with out written, then summed, then rewritten in one program. */
function storeThenReduceRef(x: Float32Array, m: number, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < m; r++) {
    let s = 0;
    for (let c = 0; c < n; c++) s += 2 * (x[r * n + c] ?? 0);
    for (let c = 0; c < n; c++) out.push((2 * (x[r * n + c] ?? 0)) / s);
  }
  return out;
}

/** `steps` rounds of out = out * 0.5 + rowsum(out) * 0.001, starting from x. */
function iteratedRef(x: Float32Array, m: number, n: number, steps: number): number[] {
  const out = Array.from(x);
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < steps; i++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += out[r * n + c] ?? 0;
      for (let c = 0; c < n; c++) out[r * n + c] = (out[r * n + c] ?? 0) * 0.5 + s * 0.001;
    }
  }
  return out;
}

export const ORDERING: ConformanceCase[] = [
  {
    name: 'ordering: an output row stored by one loop, summed by the next, rewritten by a third',
    source: `fn k(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    var s = zeros([tm]);
    for tn in tile(N) {
      out[tm, tn] = x[tm, tn] * 2.0;
    }
    for tn in tile(N) {
      s += sum(out[tm, tn], axis=1);
    }
    for tn in tile(N) {
      out[tm, tn] = out[tm, tn] / s[:, None];
    }
  }
  return out;
}`,
    atol: 1e-6, rtol: 1e-4,
    configs: CONFIGS,
    sizes: SIZES.map(([m, n], i) => () => {
      const x = f32(m * n, 4100 + i, 0.5, 2);
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: [storeThenReduceRef(x, m, n)] };
    }),
  },
  {
    name: 'ordering: each round of a scalar loop reduces the rows the previous round stored',
    source: `fn k(x: f32[M, N], steps: i32) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    for tn in tile(N) {
      out[tm, tn] = x[tm, tn];
    }
    for i in range(0, steps) {
      var s = zeros([tm]);
      for tn in tile(N) {
        s += sum(out[tm, tn], axis=1);
      }
      for tn in tile(N) {
        out[tm, tn] = out[tm, tn] * 0.5 + s[:, None] * 0.001;
      }
    }
  }
  return out;
}`,
    atol: 1e-5, rtol: 1e-4,
    configs: CONFIGS,
    sizes: SIZES.map(([m, n], i) => () => {
      const x = f32(m * n, 4200 + i, -1, 1);
      return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [3], expected: [iteratedRef(x, m, n, 3)] };
    }),
  },
];
