/**
 * Conformance cases for reductions over rows holding infinities: a row of nothing but
 * -inf has max -inf (not the lowest finite f32), a row of +inf has min +inf, and their
 * argmax / argmin is the first index. Rows mix finite values and infinities at random
 * places, the last ones all -inf or all +inf. Every reduction strategy is tried (a tree,
 * one lane per row, subgroups, the row cache), whole rows and rows walked in column
 * tiles, at widths that are not multiples of a vector or of the tiles. Plain-JS
 * references; results must match exactly.
 *
 * NaN: argmax / argmin skip NaN elements (a NaN compares false both ways), and a row of
 * nothing but NaN reports its first index — a real index, never the "nothing seen"
 * sentinel. (Float max / min over NaN follow the adapter's max/min, so only the arg
 * reductions, which compare, are checked here.)
 */
import type { ConformanceCase, Sized } from './cases.ts';
import { rng } from '../support/random.ts';

const SIZES: readonly (readonly [number, number])[] = [[3, 1], [9, 37], [21, 130]];

/** Rows of random values, a quarter of them ±inf; row 1 (when there is one) all -inf, row 2 all +inf. */
function rows(m: number, n: number, seed: number): Float32Array {
  const r = rng(seed);
  const x = Float32Array.from({ length: m * n }, () => {
    const u = r();
    return u < 0.125 ? -Infinity : u < 0.25 ? Infinity : 10 * r() - 5;
  });
  if (m > 1) x.fill(-Infinity, n, 2 * n);
  if (m > 2) x.fill(Infinity, 2 * n, 3 * n);
  // Row 0 has no infinity: finite rows still reduce as before.
  for (let j = 0; j < n; j++) x[j] = 10 * r() - 5;
  return x;
}

/** The first index of the best non-NaN element (ties: the first); 0 when every element is NaN. */
const firstBest = (row: ArrayLike<number>, better: (a: number, b: number) => boolean): number => {
  let best = -1;
  for (let j = 0; j < row.length; j++) {
    const v = row[j] ?? NaN;
    if (!Number.isNaN(v) && (best < 0 || better(v, row[best] ?? NaN))) best = j;
  }
  return Math.max(best, 0);
};
const argmaxOf = (l: readonly number[]): number => firstBest(l, (a, b) => a > b);
const argminOf = (l: readonly number[]): number => firstBest(l, (a, b) => a < b);

/** One input x: f32[m, n] per size from `make`, the outputs by `expected` from its rows. */
function sized(seed: number, make: (m: number, n: number, seed: number) => Float32Array, expected: readonly ((row: number[]) => number)[]): (() => Sized)[] {
  return SIZES.map(([m, n], i) => () => {
    const x = make(m, n, seed + i);
    const all = Array.from({ length: m }, (_, r) => Array.from(x.subarray(r * n, (r + 1) * n)));
    return { inputs: [{ dtype: 'f32', shape: [m, n], data: x }], scalars: [], expected: expected.map((f) => all.map(f)) };
  });
}

const STATS = [(l: number[]): number => Math.max(...l), (l: number[]): number => Math.min(...l), argmaxOf, argminOf];

/** Rows with NaN at random places (about a third), ±inf and finite values; row 1 all NaN, row 2 NaN then -inf. */
function nanRows(m: number, n: number, seed: number): Float32Array {
  const r = rng(seed);
  const x = Float32Array.from({ length: m * n }, () => {
    const u = r();
    return u < 0.33 ? NaN : u < 0.4 ? -Infinity : u < 0.47 ? Infinity : 10 * r() - 5;
  });
  if (m > 1) x.fill(NaN, n, 2 * n);
  if (m > 2) {
    x.fill(-Infinity, 2 * n, 3 * n);
    x[2 * n] = NaN;
  }
  return x;
}

const WHOLE_ROWS = [
  { blocks: { tm: 2 }, workgroupSize: 64 },
  { blocks: { tm: 8 }, workgroupSize: 8, reduction: 'serial' as const },
  { blocks: { tm: 16 }, workgroupSize: 16, reduction: 'serial' as const },
  { blocks: { tm: 4 }, workgroupSize: 64, rowCache: 256 },
  { blocks: { tm: 8 }, workgroupSize: 8, reduction: 'serial' as const, rowCache: 256 },
];

const TILED = [
  { blocks: { tm: 2, tn: 16 }, workgroupSize: 64 },
  { blocks: { tm: 8, tn: 32 }, workgroupSize: 8, reduction: 'serial' as const },
  { blocks: { tm: 8, tn: 8 }, workgroupSize: 8, reduction: 'serial' as const },
];

export const NONFINITE: ConformanceCase[] = [
  {
    name: 'max / min / argmax / argmin of whole rows holding infinities (all -inf and all +inf rows)',
    source: `fn k(x: f32[M, N]) -> (f32[M], f32[M], i32[M], i32[M]) {
  let hi = empty([M], f32);
  let lo = empty([M], f32);
  let ahi = empty([M], i32);
  let alo = empty([M], i32);
  for tm in tile(M) {
    hi[tm] = max(x[tm, :], axis=1);
    lo[tm] = min(x[tm, :], axis=1);
    ahi[tm] = argmax(x[tm, :], axis=1);
    alo[tm] = argmin(x[tm, :], axis=1);
  }
  return (hi, lo, ahi, alo);
}`,
    atol: 0, rtol: 0, configs: WHOLE_ROWS,
    sizes: sized(9700, rows, STATS),
  },
  {
    name: 'running max / min of rows holding infinities walked in column tiles (all -inf and all +inf rows)',
    source: `fn k(x: f32[M, N]) -> (f32[M], f32[M], i32[M], i32[M]) {
  let hi = empty([M], f32);
  let lo = empty([M], f32);
  let ahi = empty([M], i32);
  let alo = empty([M], i32);
  for tm in tile(M) {
    var h = full([tm], -inf);
    var l = full([tm], inf);
    for tn in tile(N) {
      h = max(h, max(x[tm, tn], axis=1));
      l = min(l, min(x[tm, tn], axis=1));
    }
    hi[tm] = h;
    lo[tm] = l;
    ahi[tm] = argmax(x[tm, :], axis=1);
    alo[tm] = argmin(x[tm, :], axis=1);
  }
  return (hi, lo, ahi, alo);
}`,
    atol: 0, rtol: 0, configs: TILED,
    sizes: sized(9800, rows, STATS),
  },
  {
    name: 'argmax / argmin skip NaN, and a row of nothing but NaN gives its first index',
    source: `fn k(x: f32[M, N]) -> (i32[M], i32[M]) {
  let ahi = empty([M], i32);
  let alo = empty([M], i32);
  for tm in tile(M) {
    ahi[tm] = argmax(x[tm, :], axis=1);
    alo[tm] = argmin(x[tm, :], axis=1);
  }
  return (ahi, alo);
}`,
    atol: 0, rtol: 0, configs: WHOLE_ROWS,
    sizes: sized(9900, nanRows, [argmaxOf, argminOf]),
  },
];
