/**
 * Row-wise kernels and reductions in the interpreter against plain-JS references:
 * softmax, a layernorm, sum/max/min/argmax/argmin/mean along full and block axes (keepdim
 * or not, over every axis), and cumsum. Sizes are not multiples of the blocks, so ragged
 * edges must be skipped by the reductions (and the mean divide by the in-bounds count).
 */
import { describe, expect, it } from 'vitest';
import { closeness, interpret, lazyIr, randF32, randInt, rng } from './support.ts';

const fr = Math.fround;

const SOFTMAX = `fn softmax(x: f32[M, N]) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let e = exp(row - max(row, axis=1, keepdim=true));
    out[tm, :] = e / sum(e, axis=1, keepdim=true);
  }
  return out;
}`;

function softmaxRef(x: Float32Array, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    let mx = -Infinity;
    for (let j = 0; j < n; j++) mx = Math.max(mx, x[i * n + j] ?? 0);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp((x[i * n + j] ?? 0) - mx);
    for (let j = 0; j < n; j++) out[i * n + j] = Math.exp((x[i * n + j] ?? 0) - mx) / s;
  }
  return out;
}

describe('softmax', () => {
  const ir = lazyIr(SOFTMAX);
  for (const [m, n] of [[1, 1], [7, 1000], [33, 257]] as const) {
    for (const tm of [1, 4]) {
      it(`${m}×${n}, tm=${tm}`, () => {
        const x = randF32(rng(m * n + tm), m * n, -8, 8);
        const out = new Float32Array(m * n);
        interpret(ir(), { blocks: { tm }, inputs: [x], outputs: [out], dims: { M: m, N: n } });
        expect(closeness(out, softmaxRef(x, m, n), 1e-5, 1e-7).worst).toBeLessThanOrEqual(1);
      });
    }
  }
});

const LAYERNORM = `fn layernorm(x: f32[M, N], g: f32[N], eps: f32) -> f32[M, N] {
  let out = empty_like(x);
  for tm in tile(M) {
    let row = x[tm, :];
    let mu = mean(row, axis=1, keepdim=true);
    let d = row - mu;
    let v = mean(d * d, axis=1, keepdim=true);
    out[tm, :] = d * rsqrt(v + eps) * g[:];
  }
  return out;
}`;

describe('layernorm', () => {
  const ir = lazyIr(LAYERNORM);
  for (const [m, n, tm] of [[5, 300, 1], [19, 77, 8]] as const) {
    it(`${m}×${n}, tm=${tm}`, () => {
      const r = rng(m + n);
      const x = randF32(r, m * n, -3, 5);
      const g = randF32(r, n, 0.5, 1.5);
      const eps = 1e-5;
      const out = new Float32Array(m * n);
      interpret(ir(), { blocks: { tm }, inputs: [x, g], outputs: [out], dims: { M: m, N: n }, scalars: { eps } });
      const ref = new Float64Array(m * n);
      for (let i = 0; i < m; i++) {
        let mu = 0;
        for (let j = 0; j < n; j++) mu += x[i * n + j] ?? 0;
        mu /= n;
        let v = 0;
        for (let j = 0; j < n; j++) v += ((x[i * n + j] ?? 0) - mu) ** 2;
        v /= n;
        for (let j = 0; j < n; j++) ref[i * n + j] = ((x[i * n + j] ?? 0) - mu) / Math.sqrt(v + fr(eps)) * (g[j] ?? 0);
      }
      expect(closeness(out, ref, 1e-4, 1e-5).worst).toBeLessThanOrEqual(1);
    });
  }
});

// Along the whole row (axis 1, a ':' axis), with and without keepdim; argmax/argmin
// report the index along the row.
const ROWS = `fn rows(x: f32[M, N]) -> (f32[M], f32[M], i32[M], i32[M], f32[M, N]) {
  let s = empty([M], f32);
  let mn = empty([M], f32);
  let am = empty([M], i32);
  let an = empty([M], i32);
  let centered = empty([M, N], f32);
  for tm in tile(M) {
    let row = x[tm, :];
    s[tm] = sum(row, axis=1);
    mn[tm] = min(row, axis=1);
    am[tm] = argmax(row, axis=1);
    an[tm] = argmin(row, axis=1);
    centered[tm, :] = row - max(row, axis=1, keepdim=true) + sum(row, axis=-1, keepdim=true);
  }
  return (s, mn, am, an, centered);
}`;

describe('reductions along a whole row', () => {
  const ir = lazyIr(ROWS);
  for (const [m, n, tm] of [[13, 100, 4], [3, 1, 1], [9, 65, 16]] as const) {
    it(`${m}×${n}, tm=${tm}`, () => {
      const r = rng(m * 7 + n);
      // Small integers: many ties, so argmax/argmin must pick the first index.
      const x = Float32Array.from(randInt(r, m * n, -5, 5));
      const outs = [new Float32Array(m), new Float32Array(m), new Int32Array(m), new Int32Array(m), new Float32Array(m * n)] as const;
      interpret(ir(), { blocks: { tm }, inputs: [x], outputs: outs, dims: { M: m, N: n } });
      for (let i = 0; i < m; i++) {
        const row = Array.from(x.subarray(i * n, (i + 1) * n));
        const mx = Math.max(...row);
        const sum = row.reduce((a, b) => fr(a + b), 0);
        expect(outs[0][i]).toBe(sum);
        expect(outs[1][i]).toBe(Math.min(...row));
        expect(outs[2][i]).toBe(row.indexOf(mx));
        expect(outs[3][i]).toBe(row.indexOf(Math.min(...row)));
        for (let j = 0; j < n; j++) expect(outs[4][i * n + j]).toBe(fr(fr((row[j] ?? 0) - mx) + sum));
      }
    });
  }
});

// Along tile (block) axes: results depend on the block, which the references follow.
// argmax along a block axis gives the global index; a reduction over every axis of a
// [tm, :] tile covers all in-bounds rows of the block; mean divides by the in-bounds count.
describe('reductions along block axes', () => {
  const BLOCK_ROWS = `fn blockrows(x: f32[M, N], v: f32[M]) -> (i32[M], f32[M], f32[M], f32[M, N]) {
  let am = empty([M], i32);
  let tot = empty([M], f32);
  let avg = empty([M], f32);
  let colmin = empty([M, N], f32);
  for tm in tile(M) {
    am[tm] = argmax(v[tm], axis=0);
    tot[tm] = max(x[tm, :]);
    avg[tm] = mean(x[tm, :]);
    for tn in tile(N) {
      colmin[tm, tn] = x[tm, tn] - min(x[tm, tn], axis=0, keepdim=true);
    }
  }
  return (am, tot, avg, colmin);
}`;
  const ir = lazyIr(BLOCK_ROWS);
  for (const [m, n, tm, tn] of [[37, 21, 8, 16], [5, 3, 4, 2], [17, 40, 32, 8]] as const) {
    it(`${m}×${n}, tm=${tm}, tn=${tn}`, () => {
      const r = rng(m * 100 + n);
      const x = randF32(r, m * n, -10, 10);
      const v = Float32Array.from(randInt(r, m, 0, 3));
      const outs = [new Int32Array(m), new Float32Array(m), new Float32Array(m), new Float32Array(m * n)] as const;
      interpret(ir(), { blocks: { tm, tn }, inputs: [x, v], outputs: outs, dims: { M: m, N: n } });
      for (let b0 = 0; b0 < m; b0 += tm) {
        const rows = Array.from({ length: Math.min(tm, m - b0) }, (_, i) => b0 + i);
        const vs = rows.map((i) => v[i] ?? 0);
        const argmax = b0 + vs.indexOf(Math.max(...vs));
        const all = rows.flatMap((i) => Array.from(x.subarray(i * n, (i + 1) * n)));
        const total = all.reduce((a, b) => fr(a + b), 0);
        for (const i of rows) {
          expect(outs[0][i]).toBe(argmax);
          expect(outs[1][i]).toBe(Math.max(...all));
          expect(outs[2][i]).toBe(fr(total / all.length));
        }
        for (let c0 = 0; c0 < n; c0 += tn) {
          for (let j = c0; j < Math.min(c0 + tn, n); j++) {
            const col = rows.map((i) => x[i * n + j] ?? 0);
            const mn = Math.min(...col);
            for (const i of rows) expect(outs[3][i * n + j]).toBe(fr((x[i * n + j] ?? 0) - mn));
          }
        }
      }
    });
  }

  const COLUMNS = `fn columns(x: f32[M, N]) -> (i32[N], f32[N], f32[N]) {
  let colarg = empty([N], i32);
  let colsum = empty([N], f32);
  let colmean = empty([N], f32);
  for tn in tile(N) {
    let c = x[:, tn];
    colarg[tn] = argmax(c, axis=0);
    colsum[tn] = sum(c, axis=0);
    colmean[tn] = mean(c, axis=0);
  }
  return (colarg, colsum, colmean);
}`;
  const cols = lazyIr(COLUMNS);
  for (const [m, n, tn] of [[11, 29, 8], [1, 5, 4]] as const) {
    it(`over a ':' axis 0, ${m}×${n}, tn=${tn}`, () => {
      const x = Float32Array.from(randInt(rng(m + 3 * n), m * n, -3, 3));
      const outs = [new Int32Array(n), new Float32Array(n), new Float32Array(n)] as const;
      interpret(cols(), { blocks: { tn }, inputs: [x], outputs: outs, dims: { M: m, N: n } });
      for (let j = 0; j < n; j++) {
        const col = Array.from({ length: m }, (_, i) => x[i * n + j] ?? 0);
        const s = col.reduce((a, b) => fr(a + b), 0);
        expect(outs[0][j]).toBe(col.indexOf(Math.max(...col)));
        expect(outs[1][j]).toBe(s);
        expect(outs[2][j]).toBe(fr(s / m));
      }
    });
  }
});

const CUMSUM = `fn scans(x: f32[M, N], k: i32[M]) -> (f32[M, N], i32[M]) {
  let rows = empty_like(x);
  let blocks = empty([M], i32);
  for tm in tile(M) {
    rows[tm, :] = cumsum(x[tm, :], axis=1);
    blocks[tm] = cumsum(k[tm]);
  }
  return (rows, blocks);
}`;

describe('cumsum', () => {
  const ir = lazyIr(CUMSUM);
  for (const [m, n, tm] of [[10, 33, 4], [1, 1, 1], [7, 100, 8]] as const) {
    it(`${m}×${n}, tm=${tm}`, () => {
      const r = rng(m * 13 + n);
      const x = randF32(r, m * n);
      const k = Int32Array.from(randInt(r, m, -2147483648, 2147483647));
      const outs = [new Float32Array(m * n), new Int32Array(m)] as const;
      interpret(ir(), { blocks: { tm }, inputs: [x, k], outputs: outs, dims: { M: m, N: n } });
      const ref = new Float32Array(m * n);
      for (let i = 0; i < m; i++) {
        let acc = 0;
        for (let j = 0; j < n; j++) ref[i * n + j] = acc = fr(acc + (x[i * n + j] ?? 0));
      }
      expect(outs[0]).toEqual(ref);
      // Along the block axis: prefix sums restart at every block, wrapping like i32.
      const refK = new Int32Array(m);
      for (let i = 0; i < m; i++) refK[i] = (i % tm === 0 ? 0 : refK[i - 1] ?? 0) + (k[i] ?? 0);
      expect(outs[1]).toEqual(refK);
    });
  }
});
