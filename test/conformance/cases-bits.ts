/**
 * Conformance cases for the bitwise operators and the random builtins: `&` `|` `^` `~`
 * `<<` `>>` on i32 and u32 tiles and scalars (shift amounts of 32 and more and negative
 * ones, taken mod 32; `>>` arithmetic on i32, logical on u32; C's precedence), and
 * `rand`/`randint`/`randn` against the plain-JS reimplementation of their hash in
 * examples/dropout.ts. Integer and `rand` results must match exactly on every backend.
 */
import type { ConformanceCase } from './cases.ts';
import { i32 } from './cases.ts';
import { randReference, randnReference, rngBits } from '../../examples/dropout.ts';

const CONFIGS = [{ blocks: { tn: 16 }, workgroupSize: 64 }, { blocks: { tn: 64 }, workgroupSize: 32 }];

/** Values across the whole i32 range, negatives included. */
function wide(n: number, seed: number): Int32Array {
  const r = i32(n, seed, -2147483648, 2147483647);
  r[0] = -1;
  if (n > 1) r[1] = -2147483648;
  return r;
}

export const BITS: ConformanceCase[] = [
  {
    name: 'bitwise on i32: & | ^ ~, shifts by -40 … 70 (mod 32), arithmetic >> of negatives, precedence',
    source: `fn k(x: i32[N], y: i32[N], s: i32[N]) -> (i32[N], i32[N], i32[N], i32[N], i32[N]) {
  let logic = empty([N], i32);
  let left = empty([N], i32);
  let right = empty([N], i32);
  let mixed = empty([N], i32);
  let consts = empty([N], i32);
  for tn in tile(N) {
    let a = x[tn];
    let b = y[tn];
    logic[tn] = (a & b) + (a | b) * 3 + ((a ^ b) & 65535) - ~a;
    left[tn] = a << s[tn];
    right[tn] = a >> s[tn];
    mixed[tn] = a | b & 255 ^ a >> 3 << 1;
    consts[tn] = (tn.index << 33) + (-8 >> 1) + (1 << 31 >> 31) + (~7 & 12) + i32((tn.index & 1) == 0);
  }
  return (logic, left, right, mixed, consts);
}`,
    atol: 0, rtol: 0, configs: CONFIGS,
    sizes: [1, 37, 203].map((n, i) => () => {
      const x = wide(n, 8100 + i);
      const y = wide(n, 8200 + i);
      const s = i32(n, 8300 + i, -40, 71);
      const logic: number[] = [];
      const left: number[] = [];
      const right: number[] = [];
      const mixed: number[] = [];
      const consts: number[] = [];
      for (let j = 0; j < n; j++) {
        const [a, b, k] = [x[j] ?? 0, y[j] ?? 0, s[j] ?? 0];
        logic.push(((a & b) + Math.imul(a | b, 3) + ((a ^ b) & 65535) - ~a) | 0);
        left.push(a << (k & 31));
        right.push(a >> (k & 31));
        mixed.push(a | ((b & 255) ^ ((a >> 3) << 1)));
        consts.push(((j << 1) + -4 + -1 + 8 + Number((j & 1) === 0)) | 0);
      }
      return {
        inputs: [{ dtype: 'i32', shape: [n], data: x }, { dtype: 'i32', shape: [n], data: y }, { dtype: 'i32', shape: [n], data: s }],
        scalars: [], expected: [logic, left, right, mixed, consts],
      };
    }),
  },
  {
    name: 'bitwise on u32: logical >>, shifts by 0 … 95 (mod 32), ~, with u32 scalars',
    source: `fn k(x: u32[N], s: u32[N], m: u32) -> (u32[N], u32[N], u32[N]) {
  let left = empty([N], u32);
  let right = empty([N], u32);
  let masked = empty([N], u32);
  for tn in tile(N) {
    let a = x[tn];
    left[tn] = a << s[tn];
    right[tn] = a >> s[tn];
    masked[tn] = (~a & m) ^ (a >> 31) | (m << 4294967295) | (1 << s[tn] & 3) + u32(-8 >> s[tn] == -1);
  }
  return (left, right, masked);
}`,
    atol: 0, rtol: 0, configs: CONFIGS,
    sizes: [1, 37, 203].map((n, i) => () => {
      const x = Uint32Array.from(wide(n, 8400 + i), (v) => v >>> 0);
      const s = Uint32Array.from(i32(n, 8500 + i, 0, 96), (v) => v >>> 0);
      const m = 0xf0f0f0f0;
      const left = Array.from(x, (a, j) => (a << ((s[j] ?? 0) & 31)) >>> 0);
      const right = Array.from(x, (a, j) => a >>> ((s[j] ?? 0) & 31));
      // 1 << s is u32 (the literal takes the amount's dtype); -8 >> s stays i32 (arithmetic).
      const masked = Array.from(x, (a, j) => {
        const k = (s[j] ?? 0) & 31;
        const low = ((((1 << k) >>> 0) & 3) + ((-8 >> k) === -1 ? 1 : 0)) >>> 0;
        return ((((~a & m) >>> 0) ^ (a >>> 31)) | ((m << 31) >>> 0) | low) >>> 0;
      });
      return { inputs: [{ dtype: 'u32', shape: [n], data: x }, { dtype: 'u32', shape: [n], data: s }], scalars: [m], expected: [left, right, masked] };
    }),
  },
  {
    name: 'randint and rand: the hash of (seed, offset), bit for bit, on 2-D offsets, negative i32 offsets and a u32 seed',
    source: `fn k(x: f32[M, N], seed: i32, useed: u32) -> (u32[M, N], f32[M, N], u32[M, N], f32[1]) {
  let bits = empty([M, N], u32);
  let u = empty([M, N], f32);
  let neg = empty([M, N], u32);
  let one = empty([1], f32);
  for (tm, tn) in tile([M, N]) {
    let offsets = tm.index[:, None] * N + tn.index[None, :];
    bits[tm, tn] = randint(seed, offsets);
    u[tm, tn] = rand(useed, offsets) + x[tm, tn] * 0.0;
    neg[tm, tn] = randint(useed, -1 - offsets);
    if tm.begin == 0 && tn.begin == 0 {
      one[0] = rand(seed, 12345);
    }
  }
  return (bits, u, neg, one);
}`,
    atol: 0, rtol: 0,
    configs: [{ blocks: { tm: 8, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 4, tn: 32 }, workgroupSize: 32 }],
    sizes: [[1, 1], [13, 37], [40, 9]].map(([m = 1, n = 1], i) => () => {
      const seed = -123456789 + i;
      const useed = 0xfedcba98 - i;
      const offsets = Array.from({ length: m * n }, (_, j) => j);
      return {
        inputs: [{ dtype: 'f32', shape: [m, n], data: new Float32Array(m * n).fill(1) }], scalars: [seed, useed],
        expected: [
          offsets.map((o) => rngBits(seed, o)),
          offsets.map((o) => randReference(useed, o)),
          offsets.map((o) => rngBits(useed, (-1 - o) >>> 0)),
          [randReference(seed, 12345)],
        ],
      };
    }),
  },
  {
    name: 'randn: Box–Muller over the hash, within f32 rounding of log, sqrt and cos',
    source: `fn k(x: f32[N], seed: i32) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[tn] = randn(seed, tn.index) + x[tn];
  }
  return out;
}`,
    atol: 2e-5, rtol: 2e-5, configs: CONFIGS,
    sizes: [1, 37, 1003].map((n, i) => () => {
      const x = new Float32Array(n).fill(0.5);
      return { inputs: [{ dtype: 'f32', shape: [n], data: x }], scalars: [77 + i], expected: [Array.from(x, (v, j) => v + randnReference(77 + i, j))] };
    }),
  },
];
