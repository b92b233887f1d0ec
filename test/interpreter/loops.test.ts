/**
 * Loops in the interpreter: a range loop with tile and scalar accumulators, matmul with a
 * nested tile loop over K and a bias + relu epilogue (the fused `acc += a @ b` path),
 * products over a whole K axis and of computed operands, and atomic accumulation.
 */
import { describe, expect, it } from 'vitest';
import { closeness, interpret, lazyIr, randF32, rng } from './support.ts';

const fr = Math.fround;

const RANGE = `fn weighted(x: f32[M, K], w: f32[K]) -> f32[M] {
  let out = empty([M], f32);
  for tm in tile(M) {
    var s = zeros([tm], f32);
    var total = 0.0;
    var count = 0;
    for k in range(K) {
      s += x[tm, k] * w[k];
      total += w[k];
      count += 1;
    }
    out[tm] = s / total + f32(count);
  }
  return out;
}`;

describe('range loop', () => {
  const ir = lazyIr(RANGE);
  for (const [m, k, tm] of [[21, 9, 8], [1, 1, 1], [40, 3, 64]] as const) {
    it(`accumulates a tile var and scalar vars, M=${m}, K=${k}, tm=${tm}`, () => {
      const r = rng(m * k);
      const x = randF32(r, m * k);
      const w = randF32(r, k, 0.5, 1);
      const out = new Float32Array(m);
      interpret(ir(), { blocks: { tm }, inputs: [x, w], outputs: [out], dims: { M: m, K: k } });
      let total = 0;
      for (let j = 0; j < k; j++) total = fr(total + (w[j] ?? 0));
      const ref = new Float32Array(m);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s = fr(s + fr((x[i * k + j] ?? 0) * (w[j] ?? 0)));
        ref[i] = fr(fr(s / total) + k);
      }
      expect(out).toEqual(ref);
    });
  }
});

const MATMUL = `fn matmul(a: f32[M, K], b: f32[K, N], bias: f32[N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = max(acc + bias[tn], 0.0);
  }
  return out;
}`;

// Operands that are expressions, non-zero everywhere: out-of-bounds k must be skipped,
// not multiplied by a zero load.
const SHIFTED = `fn shifted(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += (a[tm, tk] + 1.0) @ exp(b[tk, tn]);
    }
    out[tm, tn] = acc;
  }
  return out;
}`;

function matmulRef(a: Float32Array, b: Float32Array, m: number, n: number, k: number, fa: (x: number) => number, fb: (x: number) => number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += fa(a[i * k + p] ?? 0) * fb(b[p * n + j] ?? 0);
      out[i * n + j] = s;
    }
  }
  return out;
}

const MATMUL_CONFIGS = [
  { tm: 16, tn: 16, tk: 8 },
  { tm: 32, tn: 8, tk: 16 },
  { tm: 1, tn: 64, tk: 64 },
  { tm: 4, tn: 2, tk: 1 },
] as const;

// No tile loop over K: the contraction runs over a whole (':') axis, and the product is
// not accumulated into a local (no fused accumulator).
const WHOLE_K = `fn wholek(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    out[tm, tn] = (a[tm, :] @ b[:, tn]) * 2.0;
  }
  return out;
}`;

describe('matmul', () => {
  const ir = lazyIr(MATMUL);
  const shifted = lazyIr(SHIFTED);
  const wholeK = lazyIr(WHOLE_K);
  for (const [m, n, k] of [[33, 65, 47], [1, 1, 1], [16, 16, 16]] as const) {
    for (const blocks of MATMUL_CONFIGS) {
      it(`bias + relu, ${m}×${n}×${k}, ${JSON.stringify(blocks)}`, () => {
        const r = rng(m * n * k);
        const a = randF32(r, m * k);
        const b = randF32(r, k * n);
        const bias = randF32(r, n, -0.5, 0.5);
        const out = new Float32Array(m * n).fill(NaN);
        interpret(ir(), { blocks, inputs: [a, b, bias], outputs: [out], dims: { M: m, N: n, K: k } });
        const ref = matmulRef(a, b, m, n, k, (x) => x, (x) => x).map((v, i) => Math.max(v + (bias[i % n] ?? 0), 0));
        expect(closeness(out, ref, 1e-5, 1e-5).worst).toBeLessThanOrEqual(1);
      });
    }
    it(`over a whole K axis, ${m}×${n}×${k}`, () => {
      const r = rng(m * 3 + n + k);
      const a = randF32(r, m * k);
      const b = randF32(r, k * n);
      const ref = matmulRef(a, b, m, n, k, (x) => x, (x) => x).map((v) => 2 * v);
      for (const blocks of [{ tm: 16, tn: 16 }, { tm: 3, tn: 5 }, { tm: 1, tn: 1 }]) {
        const out = new Float32Array(m * n);
        interpret(wholeK(), { blocks, inputs: [a, b], outputs: [out], dims: { M: m, N: n, K: k } });
        expect(closeness(out, ref, 1e-5, 1e-5).worst, JSON.stringify(blocks)).toBeLessThanOrEqual(1);
      }
    });
    it(`skips out-of-bounds k, ${m}×${n}×${k}`, () => {
      const r = rng(m + n + k);
      const a = randF32(r, m * k);
      const b = randF32(r, k * n);
      const ref = matmulRef(a, b, m, n, k, (x) => x + 1, Math.exp);
      for (const blocks of MATMUL_CONFIGS) {
        const out = new Float32Array(m * n);
        interpret(shifted(), { blocks, inputs: [a, b], outputs: [out], dims: { M: m, N: n, K: k } });
        expect(closeness(out, ref, 1e-5, 1e-5).worst, JSON.stringify(blocks)).toBeLessThanOrEqual(1);
      }
    });
  }
});

const COLSUM = `fn colsum(x: f32[M, N]) -> f32[N] {
  let out = zeros([N], f32);
  for (tm, tn) in tile([M, N]) {
    atomic_add(out[tn], sum(x[tm, tn], axis=0));
  }
  return out;
}`;

describe('atomic_add', () => {
  const colsum = lazyIr(COLSUM);
  for (const [m, n, blocks] of [[50, 30, { tm: 16, tn: 8 }], [7, 3, { tm: 2, tn: 4 }], [100, 1, { tm: 64, tn: 1 }]] as const) {
    it(`accumulates a column sum across tiles, ${m}×${n}, ${JSON.stringify(blocks)}`, () => {
      const ir = colsum();
      expect(ir.outputs[0]?.zeroInit).toBe(true);
      const x = randF32(rng(m * n), m * n);
      // Garbage in the output: zeroInit outputs are zero-filled before the run.
      const out = new Float32Array(n).fill(123);
      interpret(ir, { blocks, inputs: [x], outputs: [out], dims: { M: m, N: n } });
      const ref = new Float64Array(n);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) ref[j] = (ref[j] ?? 0) + (x[i * n + j] ?? 0);
      expect(closeness(out, ref, 1e-5, 1e-6).worst).toBeLessThanOrEqual(1);
    });
  }
});
