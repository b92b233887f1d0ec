/**
 * Conformance cases for declared block sizes (`let bd = block_size(D)`, Helion's
 * `hl.register_block_size`): one knob used as a nested loop's block and as an
 * accumulator's extent (`zeros([tm, bd])`), shared by two loops, and read as an i32.
 * D is never a multiple of the blocks tried, so the last tile of every row is ragged and
 * the accumulator's columns past D must not take part. Plain-JS references.
 */
import type { ConformanceCase, Sized } from './cases.ts';
import { f32 } from './cases.ts';

const SIZES: readonly (readonly [number, number])[] = [[1, 1], [13, 37], [40, 100]];

/** Random [m, d] rows and per-row expected values from `ref(row)`. */
function rowsSized(seed: number, ref: (row: Float32Array) => number[], lo = -1, hi = 1): (() => Sized)[] {
  return SIZES.map(([m, d], i) => () => {
    const x = f32(m * d, seed + i, lo, hi);
    const expected: number[] = [];
    for (let r = 0; r < m; r++) expected.push(...ref(x.subarray(r * d, (r + 1) * d)));
    return { inputs: [{ dtype: 'f32', shape: [m, d], data: x }], scalars: [], expected: [expected] };
  });
}

const rowSum = (row: Float32Array): number => row.reduce((a, v) => a + v, 0);
// A column past D that took exp(0) in a ragged tile would add 1 to the sum.

const CONFIGS = [
  {},
  { blocks: { tm: 4, bd: 8 }, workgroupSize: 32 },
  { blocks: { tm: 8, bd: 32 }, workgroupSize: 64 },
  { blocks: { tm: 1, bd: 64 }, workgroupSize: 64 },
];

export const BLOCK_SIZE: ConformanceCase[] = [
  {
    name: 'block_size: a [tm, bd] accumulator of exp(x) filled by a loop over D in blocks of bd, summed after it',
    source: `fn row_sum(x: f32[M, D]) -> f32[M] {
  let bd = block_size(D);
  let out = empty([M], f32);
  for tm in tile(M) {
    var acc = zeros([tm, bd], f32);
    for td in tile(D, block=bd) {
      acc += exp(x[tm, td]) * f32(bd);
    }
    out[tm] = sum(acc, axis=1) / f32(bd);
  }
  return out;
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: CONFIGS,
    sizes: rowsSized(8300, (row) => [rowSum(row.map(Math.exp))]),
  },
  {
    name: 'block_size: a running max in a [tm, bd] tile started at -inf (columns past D never count)',
    source: `fn row_max(x: f32[M, D]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    let bd = block_size(D);
    var m = full([tm, bd], -inf);
    for td in tile(D, block=bd) {
      m = max(m, x[tm, td] - 2.0);
    }
    out[tm] = max(m, axis=1);
  }
  return out;
}`,
    atol: 0, rtol: 0,
    configs: CONFIGS,
    // All below -2: a column past D that took max(m, 0 - 2) would show.
    sizes: rowsSized(8310, (row) => [Math.fround(Math.max(...row) - 2)], -3, -2.5),
  },
  {
    name: 'block_size: two loops share bd: sums of squares in [tm, bd], then each row scaled by its norm',
    source: `fn normalize(x: f32[M, D]) -> f32[M, D] {
  let out = empty_like(x);
  let bd = block_size(D);
  for tm in tile(M) {
    var sq = zeros([tm, bd], f32);
    for td in tile(D, block=bd) {
      let v = x[tm, td];
      sq += v * v;
    }
    let inv = rsqrt(sum(sq, axis=1, keepdim=true) + 1e-6);
    for td in tile(D, block=bd) {
      out[tm, td] = x[tm, td] * inv;
    }
  }
  return out;
}`,
    atol: 1e-5, rtol: 1e-5,
    configs: CONFIGS,
    sizes: rowsSized(8320, (row) => {
      const inv = 1 / Math.sqrt(row.reduce((a, v) => a + v * v, 0) + 1e-6);
      return [...row].map((v) => v * inv);
    }),
  },
];
