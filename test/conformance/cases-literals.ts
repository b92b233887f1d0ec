/**
 * Conformance cases for integer literals and compound bitwise assignments: hex and
 * `_`-separated literals, the edge values (i32 min and max, u32 max) meeting tiles and
 * scalars of their dtype, and `&=` `|=` `^=` `<<=` `>>=` on vars (tiles and scalars, in a
 * range loop) and on output tiles, against plain-JS references on random inputs across
 * the whole 32-bit range. Integer results must match exactly on every backend.
 */
import type { ConformanceCase } from './cases.ts';
import { i32 } from './cases.ts';

const CONFIGS = [{ blocks: { tn: 16 }, workgroupSize: 64 }, { blocks: { tn: 64 }, workgroupSize: 32 }];
const SIZES = [1, 37, 203];

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;

/** Random i32s over the whole range, with the edge values first. */
function wideI32(n: number, seed: number): Int32Array {
  const r = i32(n, seed, I32_MIN, I32_MAX);
  [I32_MIN, I32_MAX, -1, 0].forEach((v, j) => {
    if (j < n) r[j] = v;
  });
  return r;
}

/** Random u32s over the whole range, with 0xFFFFFFFF, 0 and 0x80000000 first. */
function wideU32(n: number, seed: number): Uint32Array {
  const r = Uint32Array.from(i32(n, seed, I32_MIN, I32_MAX), (v) => v >>> 0);
  [0xffffffff, 0, 0x80000000].forEach((v, j) => {
    if (j < n) r[j] = v;
  });
  return r;
}

const u = (v: number): number => v >>> 0;
const b = (c: boolean): number => (c ? 1 : 0);

export const LITERALS: ConformanceCase[] = [
  {
    name: 'u32: hex literals, 0xFFFFFFFF and 0x80000000, compound &= |= ^= <<= >>= on a var tile and on an output tile',
    source: `fn k(x: u32[N], y: u32[N], s: u32[N], m: u32) -> (u32[N], u32[N], u32[N]) {
  let acc = empty([N], u32);
  let edges = empty([N], u32);
  let stored = empty([N], u32);
  for tn in tile(N) {
    var a = x[tn];
    a &= 0xFFFF_00FF;
    a |= y[tn] & 0x0F0F0F0F;
    a ^= m;
    a <<= s[tn];
    a >>= 3;
    acc[tn] = a;
    edges[tn] = x[tn] + 0xFFFFFFFF + (x[tn] ^ 4294967295) + u32(x[tn] == 0xffffffff) * 7 + 0x8000_0000 + u32(y[tn] >= 0x80000000);
    stored[tn] = y[tn];
    stored[tn] ^= 0xDEADBEEF;
    stored[tn] <<= 1;
    stored[tn] |= x[tn] >> 31;
  }
  return (acc, edges, stored);
}`,
    atol: 0, rtol: 0, configs: CONFIGS,
    sizes: SIZES.map((n, i) => () => {
      const x = wideU32(n, 9100 + i);
      const y = wideU32(n, 9200 + i);
      const s = Uint32Array.from(i32(n, 9300 + i, 0, 96), (v) => v >>> 0);
      const m = 0xa5a5_5a5a;
      const acc: number[] = [];
      const edges: number[] = [];
      const stored: number[] = [];
      for (let j = 0; j < n; j++) {
        const [a0, c, k] = [x[j] ?? 0, y[j] ?? 0, (s[j] ?? 0) & 31];
        let a = u(a0 & 0xffff00ff);
        a = u(a | (c & 0x0f0f0f0f));
        a = u(a ^ m);
        a = u(a << k);
        a = a >>> 3;
        acc.push(a);
        edges.push(u(a0 + 0xffffffff + u(a0 ^ 0xffffffff) + b(a0 === 0xffffffff) * 7 + 0x80000000 + b(c >= 0x80000000)));
        stored.push(u(u(u(c ^ 0xdeadbeef) << 1) | (a0 >>> 31)));
      }
      return {
        inputs: [{ dtype: 'u32', shape: [n], data: x }, { dtype: 'u32', shape: [n], data: y }, { dtype: 'u32', shape: [n], data: s }],
        scalars: [m], expected: [acc, edges, stored],
      };
    }),
  },
  {
    name: 'i32: i32 min and max as literals, hex masks, arithmetic >>= of negatives, wrapping at the edges',
    source: `fn k(x: i32[N], s: i32[N], n: i32) -> (i32[N], i32[N], i32[N]) {
  let acc = empty([N], i32);
  let edges = empty([N], i32);
  let cmp = empty([N], i32);
  for tn in tile(N) {
    var a = x[tn];
    a &= 0x7fffffff;
    a ^= -2147483648;
    a |= 0x00F0;
    a >>= s[tn];
    a <<= 2;
    acc[tn] = a;
    edges[tn] = x[tn] + 2147483647 + -2147483648 + (x[tn] & 0x7FFF_FFFF) - n + (x[tn] ^ -1);
    cmp[tn] = i32(x[tn] == -2147483648) + i32(x[tn] == 2147483647) * 2 + i32(x[tn] > -2147483648) * 4
      + i32(x[tn] < 0x7fffffff) * 8 + (max(x[tn], -2147483648) & 0x10) + (min(x[tn], 2147483647) & 0x20);
  }
  return (acc, edges, cmp);
}`,
    atol: 0, rtol: 0, configs: CONFIGS,
    sizes: SIZES.map((n, i) => () => {
      const x = wideI32(n, 9400 + i);
      const s = i32(n, 9500 + i, -40, 71);
      const scalar = -123456789 + i;
      const acc: number[] = [];
      const edges: number[] = [];
      const cmp: number[] = [];
      for (let j = 0; j < n; j++) {
        const [v, k] = [x[j] ?? 0, (s[j] ?? 0) & 31];
        let a = v & 0x7fffffff;
        a ^= I32_MIN;
        a |= 0xf0;
        a >>= k;
        a <<= 2;
        acc.push(a);
        edges.push((v + I32_MAX + I32_MIN + (v & 0x7fffffff) - scalar + (v ^ -1)) | 0);
        cmp.push(b(v === I32_MIN) + b(v === I32_MAX) * 2 + b(v > I32_MIN) * 4 + b(v < I32_MAX) * 8 + (v & 0x10) + (v & 0x20));
      }
      return { inputs: [{ dtype: 'i32', shape: [n], data: x }, { dtype: 'i32', shape: [n], data: s }], scalars: [scalar], expected: [acc, edges, cmp] };
    }),
  },
  {
    name: 'compound bitwise assignments on a u32 var in a range loop (xorshift32) and on u32 and i32 scalars',
    source: `fn k(x: u32[N], rounds: i32, seed: u32) -> (u32[N], i32[N]) {
  let out = empty_like(x);
  let flags = empty([N], i32);
  for tn in tile(N) {
    var h = x[tn] | 1;
    var mask = u32(0xFFFFFFFF);
    var bits = 0x55;
    for _ in range(rounds) {
      h ^= h << 13;
      h ^= h >> 17;
      h ^= h << 5;
      h += 0x9E37_79B9;
      mask >>= 1;
      bits <<= 1;
      bits |= 1;
    }
    mask ^= seed;
    out[tn] = h & mask;
    flags[tn] = bits ^ i32(x[tn] & 0xFF);
  }
  return (out, flags);
}`,
    atol: 0, rtol: 0, configs: CONFIGS,
    sizes: SIZES.map((n, i) => () => {
      const x = wideU32(n, 9600 + i);
      const rounds = 3 + i;
      const seed = 0x1234_5678 + i;
      let mask = 0xffffffff;
      let bits = 0x55;
      for (let r = 0; r < rounds; r++) {
        mask = mask >>> 1;
        bits = ((bits << 1) | 1) | 0;
      }
      mask = u(mask ^ seed);
      const out = Array.from(x, (v) => {
        let h = u(v | 1);
        for (let r = 0; r < rounds; r++) {
          h = u(h ^ (h << 13));
          h = u(h ^ (h >>> 17));
          h = u(h ^ (h << 5));
          h = u(h + 0x9e3779b9);
        }
        return u(h & mask);
      });
      const flags = Array.from(x, (v) => bits ^ (v & 0xff));
      return { inputs: [{ dtype: 'u32', shape: [n], data: x }], scalars: [rounds, seed], expected: [out, flags] };
    }),
  },
  {
    name: '~literal masks take the dtype they meet: u32 & ~0xFF, i32 & ~0xFF, u32 &= ~0x80000000, | ~0xFFFFFFF0',
    source: `fn k(x: u32[N], y: i32[N]) -> (u32[N], i32[N], u32[N]) {
  let low = empty_like(x);
  let ilow = empty_like(y);
  let top = empty_like(x);
  for tn in tile(N) {
    low[tn] = x[tn] & ~0xFF;
    ilow[tn] = y[tn] & ~0xFF;
    var m = x[tn];
    m &= ~0x8000_0000;
    top[tn] = m | ~0xFFFFFFF0;
  }
  return (low, ilow, top);
}`,
    atol: 0, rtol: 0, configs: CONFIGS,
    sizes: SIZES.map((n, i) => () => {
      const x = wideU32(n, 9700 + i);
      const y = wideI32(n, 9800 + i);
      return {
        inputs: [{ dtype: 'u32', shape: [n], data: x }, { dtype: 'i32', shape: [n], data: y }], scalars: [],
        expected: [Array.from(x, (v) => u(v & ~0xff)), Array.from(y, (v) => v & ~0xff), Array.from(x, (v) => u((v & 0x7fffffff) | 0xf))],
      };
    }),
  },
];
