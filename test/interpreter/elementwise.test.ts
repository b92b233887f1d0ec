/**
 * Elementwise kernels in the interpreter against plain-JS references: f32 add, select /
 * clamp / casts with special values, i32 wrap-around and division by zero, f16 rounding,
 * and a device function with if/return.
 */
import { describe, expect, it } from 'vitest';
import { func } from 'tessera-gpu-dsl';
import { roundToF16, toF16Bits } from '../../packages/runtime/src/half.ts';
import { interpret, lazyIr, randF32, randInt, rng } from './support.ts';

const fr = Math.fround;

const ADD = `fn add(x: f32[N], y: f32[N]) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = x[tn] + y[tn];
  }
  return out;
}`;

describe('vector add', () => {
  const ir = lazyIr(ADD);
  for (const n of [1, 1000, 4097]) {
    for (const tn of [256, 64, 1]) {
      it(`N=${n}, tn=${tn}`, () => {
        const r = rng(n * 31 + tn);
        const x = randF32(r, n, -100, 100);
        const y = randF32(r, n, -100, 100);
        const out = new Float32Array(n).fill(NaN);
        interpret(ir(), { blocks: { tn }, inputs: [x, y], outputs: [out], dims: { N: n } });
        const ref = Float32Array.from(x, (v, i) => fr(v + (y[i] ?? 0)));
        expect(out).toEqual(ref);
      });
    }
  }
});

const MISC = `fn misc(x: f32[N], lo: f32) -> (f32[N], i32[N], u32[N], f32[N], bool[N]) {
  let a = empty([N], f32);
  let b = empty([N], i32);
  let c = empty([N], u32);
  let d = empty([N], f32);
  let e = empty([N], bool);
  for tn in tile(N) {
    let v = x[tn];
    a[tn] = where(v > 0.0, clamp(v, lo, 0.5), v * 2.0);
    b[tn] = i32(v * 1000.0);
    c[tn] = u32(v);
    d[tn] = round(v) + floor(v) * 0.5;
    e[tn] = v >= lo && v < 1.0;
  }
  return (a, b, c, d, e);
}`;

/** WGSL's round: ties to even. */
function roundEvenRef(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff < 0.5) return f;
  if (diff > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

function satInt(x: number, lo: number, hi: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(hi, Math.max(lo, Math.trunc(x))) || 0;
}

describe('where / clamp / casts', () => {
  const ir = lazyIr(MISC);
  const special = [NaN, Infinity, -Infinity, 2.5, -2.5, 0.5, -0.5, 1.5, 3e9, -3e9, 5e9, 2147483520, -0, 1e-3, 0.25];
  for (const [n, tn] of [[777, 128], [15, 4]] as const) {
    it(`N=${n}, tn=${tn}`, () => {
      const r = rng(n);
      const x = randF32(r, n, -4, 4);
      special.forEach((v, i) => { if (i < n) x[i] = v; });
      const lo = -0.75;
      const outs = [new Float32Array(n), new Int32Array(n), new Uint32Array(n), new Float32Array(n), new Uint32Array(n)] as const;
      interpret(ir(), { blocks: { tn }, inputs: [x], outputs: outs, dims: { N: n }, scalars: { lo } });
      for (let i = 0; i < n; i++) {
        const v = x[i] ?? 0;
        const a = v > 0 ? Math.min(Math.max(v, lo), 0.5) : fr(v * 2);
        expect(outs[0][i], `a[${i}] for ${v}`).toBe(a);
        expect(outs[1][i], `b[${i}] for ${v}`).toBe(satInt(fr(v * 1000), -2147483648, 2147483647));
        expect(outs[2][i], `c[${i}] for ${v}`).toBe(satInt(v, 0, 4294967295));
        expect(outs[3][i], `d[${i}] for ${v}`).toBe(fr(roundEvenRef(v) + fr(Math.floor(v) * 0.5)));
        expect(outs[4][i], `e[${i}] for ${v}`).toBe(v >= lo && v < 1 ? 1 : 0);
      }
    });
  }
});

const INTS = `fn ints(a: i32[N], b: i32[N], u: u32[N]) -> (i32[N], i32[N], i32[N], u32[N]) {
  let p = empty([N], i32);
  let q = empty([N], i32);
  let m = empty([N], i32);
  let w = empty([N], u32);
  for tn in tile(N) {
    p[tn] = a[tn] * b[tn] + a[tn] - b[tn];
    q[tn] = a[tn] / b[tn];
    m[tn] = a[tn] % b[tn];
    w[tn] = u[tn] * u[tn] + u[tn] / (u[tn] % 7) - 5;
  }
  return (p, q, m, w);
}`;

describe('i32 / u32 semantics', () => {
  const ir = lazyIr(INTS);
  for (const [n, tn] of [[1000, 256], [37, 8]] as const) {
    it(`wraps and divides like WGSL, N=${n}, tn=${tn}`, () => {
      const r = rng(7 + n);
      const a = Int32Array.from(randInt(r, n, -2147483648, 2147483647));
      const b = Int32Array.from(randInt(r, n, -70000, 70000));
      const u = Uint32Array.from(randInt(r, n, 0, 4294967295));
      // Division by zero and MIN / -1.
      const pairs: [number, number][] = [[17, 0], [-17, 0], [-2147483648, -1], [-7, 2], [7, -2], [0, 0]];
      pairs.forEach(([x, y], i) => { a[i] = x; b[i] = y; });
      u[0] = 7; u[1] = 14;
      const outs = [new Int32Array(n), new Int32Array(n), new Int32Array(n), new Uint32Array(n)] as const;
      interpret(ir(), { blocks: { tn }, inputs: [a, b, u], outputs: outs, dims: { N: n } });
      for (let i = 0; i < n; i++) {
        const x = a[i] ?? 0;
        const y = b[i] ?? 0;
        const z = u[i] ?? 0;
        const big = (v: bigint): number => Number(BigInt.asIntN(32, v));
        expect(outs[0][i]).toBe(big(BigInt(x) * BigInt(y) + BigInt(x) - BigInt(y)));
        const q = y === 0 ? x : x === -2147483648 && y === -1 ? x : big(BigInt(x) / BigInt(y));
        expect(outs[1][i]).toBe(q);
        const m = y === 0 || (x === -2147483648 && y === -1) ? 0 : big(BigInt(x) % BigInt(y));
        expect(outs[2][i]).toBe(m);
        const zm = z % 7;
        const zq = zm === 0 ? z : Math.trunc(z / zm);
        expect(outs[3][i]).toBe(Number(BigInt.asUintN(32, BigInt(z) * BigInt(z) + BigInt(zq) - 5n)));
      }
    });
  }
});

const HALF = `fn h(x: f16[N], y: f16[N]) -> (f16[N], f32[N]) {
  let out = empty([N], f16);
  let wide = empty([N], f32);
  for tn in tile(N) {
    let s = x[tn] * y[tn] + exp(x[tn]);
    out[tn] = s / 3.0;
    wide[tn] = f32(s) + f32(x[tn]) * 0.001;
  }
  return (out, wide);
}`;

describe('f16', () => {
  const ir = lazyIr(HALF);
  for (const [n, tn] of [[1031, 256], [9, 4]] as const) {
    it(`rounds every op to half precision, N=${n}, tn=${tn}`, () => {
      const r = rng(3 * n);
      const xs = randF32(r, n, -6, 6);
      const ys = randF32(r, n, -300, 300);
      const x = toF16Bits(xs);
      const y = toF16Bits(ys);
      const out = new Uint16Array(n);
      const wide = new Float32Array(n);
      interpret(ir(), { blocks: { tn }, inputs: [x, y], outputs: [out, wide], dims: { N: n } });
      const h = roundToF16;
      const ref = new Float32Array(n);
      const refWide = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const xv = h(xs[i] ?? 0);
        const yv = h(ys[i] ?? 0);
        const s = h(h(xv * yv) + h(Math.exp(xv)));
        ref[i] = h(s / 3);
        refWide[i] = fr(s + fr(xv * fr(0.001)));
      }
      expect(out).toEqual(toF16Bits(ref));
      expect(wide).toEqual(refWide);
    });
  }
});

const clampit = func`fn clampit(x: f32, lo: f32) -> f32 {
  if x < lo {
    return lo;
  }
  var y = x * 2.0;
  if y > 1.0 {
    y = 1.0;
  } else {
    y = y + 0.125;
  }
  return y;
}`;

const USES_FUNC = `fn f(x: f32[N], lo: f32) -> f32[N] {
  let out = empty([N], f32);
  for tn in tile(N) {
    out[tn] = \${0}(x[tn], lo) + 1.0;
  }
  return out;
}`;

describe('device function', () => {
  const ir = lazyIr(USES_FUNC, [clampit]);
  for (const [n, tn] of [[1000, 256], [3, 2]] as const) {
    it(`runs if/else/return per element, N=${n}, tn=${tn}`, () => {
      const x = randF32(rng(n), n, -1, 1);
      const out = new Float32Array(n);
      const lo = -0.25;
      interpret(ir(), { blocks: { tn }, inputs: [x], outputs: [out], dims: { N: n }, scalars: { lo } });
      const ref = Float32Array.from(x, (v) => {
        if (v < lo) return fr(lo + 1);
        const y = fr(v * 2);
        return fr((y > 1 ? 1 : fr(y + 0.125)) + 1);
      });
      expect(out).toEqual(ref);
    });
  }
});

const sq = func`fn sq(x: f32) -> f32 {
  return x * x;
}`;

/** A func calling a func, with a range loop and a var. */
const series = func`fn series(x: f32, n: i32) -> f32 {
  var s = 0.0;
  for i in range(n) {
    s += ${sq}(x) + f32(i);
  }
  return s;
}`;

const BOOLS = `fn gate(x: f32[N], m: bool[N]) -> (f32[N], bool[N]) {
  let out = empty([N], f32);
  let flags = empty([N], bool);
  for tn in tile(N) {
    var keep = m[tn] || x[tn] > 0.5;
    out[tn] = where(keep, \${0}(x[tn], 3), -1.0);
    flags[tn] = !keep;
  }
  return (out, flags);
}`;

describe('bool tiles and nested funcs', () => {
  const ir = lazyIr(BOOLS, [series]);
  for (const [n, tn] of [[300, 64], [5, 3]] as const) {
    it(`N=${n}, tn=${tn} (bool input as Uint8Array, output as Uint32Array)`, () => {
      const r = rng(n + 1);
      const x = randF32(r, n);
      const m = Uint8Array.from(randInt(r, n, 0, 1));
      const out = new Float32Array(n);
      const flags = new Uint32Array(n);
      interpret(ir(), { blocks: { tn }, inputs: [x, m], outputs: [out, flags], dims: { N: n } });
      for (let i = 0; i < n; i++) {
        const v = x[i] ?? 0;
        const keep = m[i] === 1 || v > 0.5;
        let s = 0;
        for (let k = 0; k < 3; k++) s = fr(s + fr(fr(v * v) + k));
        expect(out[i]).toBe(keep ? s : -1);
        expect(flags[i]).toBe(keep ? 0 : 1);
      }
    });
  }
});
