/**
 * The wasm backend's SIMD `@` register blocks at the edges of a tile: micro-tiles whose
 * rows or columns do not divide the block (so one-row and one-vector blocks and the
 * scalar last columns all run), on the accumulate-in-place path (`acc += a @ b`), the
 * scaled-accumulator path (`acc = acc * 0.5 + a @ b`, which seeds C first) and a
 * transposed operand, with the tiles claimed by 1 or 3 threads. Checked against plain-JS
 * references in f64 on random inputs at sizes that are not multiples of any block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, kernel, type ConfigInput, type Device } from 'tessera-gpu';
import { randomF32 } from '../support/random.ts';
import { matmul } from '../../examples/matmul.ts';


const decayed = kernel`
fn decayed(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc = acc * 0.5 + a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = acc;
  }
  return out;
}`;

const matmulNT = kernel`
fn matmul_nt(a: f32[M, K], bt: f32[N, K]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ transpose(bt[tn, tk]);
    }
    out[tm, tn] = acc;
  }
  return out;
}`;

/**
 * a (m×k) times b (k×n) in f64, b read as b[p, j] = bAt(p, j); with `decay`, the
 * accumulator is halved before each k block of `tk` is added, as `decayed` computes.
 */
function reference(a: Float32Array, bAt: (p: number, j: number) => number, m: number, k: number, n: number, decay?: { tk: number }): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      const step = decay?.tk ?? k;
      for (let p0 = 0; p0 < k; p0 += step) {
        let part = 0;
        for (let p = p0; p < Math.min(k, p0 + step); p++) part += (a[i * k + p] ?? 0) * bAt(p, j);
        acc = decay ? acc * 0.5 + part : acc + part;
      }
      out[i * n + j] = acc;
    }
  }
  return out;
}

function expectNear(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) / (1 + Math.abs(want[i] ?? 0)));
  expect(worst, what).toBeLessThan(1e-5);
}

describe('wasm @ register blocks at tile edges', () => {
  const devices: Device[] = [];
  beforeAll(async () => {
    devices.push(await init({ backend: 'wasm', threads: 1 }), await init({ backend: 'wasm', threads: 3 }));
  });
  afterAll(() => {
    for (const d of devices) d.dispose();
  });

  // Each: the micro-tile leaves rows and/or columns of a full tile to the edge blocks.
  const configs: ConfigInput[] = [
    { blocks: { tm: 16, tn: 24, tk: 16 }, microTile: [3, 8], unroll: 1 },
    { blocks: { tm: 10, tn: 30, tk: 7 }, microTile: [4, 12], unroll: 2 },
    { blocks: { tm: 9, tn: 22, tk: 13 }, microTile: [2, 16], unroll: 3 },
    { blocks: { tm: 7, tn: 9, tk: 5 }, microTile: [5, 4], unroll: 1 },
    { blocks: { tm: 12, tn: 40, tk: 9 }, microTile: [1, 8], unroll: 4 },
  ];
  const sizes = [[23, 19, 41], [50, 33, 29], [2, 3, 6]] as const;

  for (const config of configs) {
    it(`acc += a @ b, a @ transpose(bt) and acc * 0.5 + a @ b under ${JSON.stringify(config)}`, async () => {
      const tk = config.blocks?.['tk'] ?? 1;
      for (const [m, k, n] of sizes) {
        const a = randomF32(m * k, 3 * m + k);
        const b = randomF32(k * n, 5 * k + n);
        const bAt = (p: number, j: number): number => b[p * n + j] ?? 0;
        const bt = new Float32Array(n * k);
        for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[j * k + p] = bAt(p, j);
        const plain = reference(a, bAt, m, k, n);
        const halved = reference(a, bAt, m, k, n, { tk });
        for (const d of devices) {
          const where = `${m}x${k}x${n} on ${d.describe()}`;
          const run = async (kern: typeof matmul, rhs: Float32Array, shape: [number, number]): Promise<ArrayLike<number>> => {
            const outs = await kern.run([d.tensor(a, [m, k]), d.tensor(rhs, shape)], { config });
            return outs[0]?.read() ?? [];
          };
          expectNear(await run(matmul, b, [k, n]), plain, `a @ b, ${where}`);
          expectNear(await run(matmulNT, bt, [n, k]), plain, `a @ transpose(bt), ${where}`);
          expectNear(await run(decayed, b, [k, n]), halved, `acc * 0.5 + a @ b, ${where}`);
        }
      }
    });
  }

  it('many small tiles claimed by 3 threads give the one-thread result exactly', async () => {
    const [m, k, n] = [61, 17, 83];
    const a = randomF32(m * k, 11);
    const b = randomF32(k * n, 12);
    const config: ConfigInput = { blocks: { tm: 4, tn: 8, tk: 8 } };
    const results: ArrayLike<number>[] = [];
    for (const d of devices) {
      const outs = await matmul.run([d.tensor(a, [m, k]), d.tensor(b, [k, n])], { config });
      results.push(await (outs[0]?.read() ?? Promise.resolve([])));
    }
    expect(Array.from(results[1] ?? [])).toEqual(Array.from(results[0] ?? []));
    expectNear(results[0] ?? [], reference(a, (p, j) => b[p * n + j] ?? 0, m, k, n), 'one thread');
  });
});
