/**
 * `@`, cumsum and atomic_add compiled to WGSL and run on the adapter, against plain-JS
 * references on seeded random inputs, at ragged sizes (M=33, K=47, N=65 runs the scalar
 * fallback: K and N are not multiples of 4; 128×200×96 the vector path) and across
 * configs that exercise each lowering choice: staged or direct operands, vector widths,
 * micro-tile shapes, unroll, grid order, k chunk.
 */
import { expect, it } from 'vitest';
import { compileWgsl, type ConfigInput, type KernelIR } from 'tessera-gpu-compiler';
import { launch, type Device } from 'tessera-gpu-runtime';
import { expectClose } from '../conformance/check.ts';
import { randomF32, rng } from '../support/random.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { lower, matmulRef, MATMUL, MATMUL_ALPHA, MATMUL_BIAS_RELU, MATMUL_FULL_K } from './support.ts';

type Host = Float32Array | Int32Array;
interface Arg { readonly data: Host; readonly shape: readonly number[] }

/** Compiles for `config`, runs once, returns the outputs. */
async function run(
  dev: Device, ir: KernelIR, config: ConfigInput, args: readonly Arg[], outs: readonly { shape: readonly number[]; dtype: 'f32' | 'i32' }[],
  dims: Record<string, number>, scalars: Record<string, number> = {},
): Promise<ArrayLike<number>[]> {
  const artifact = compileWgsl(ir, config, dev.info.limits);
  const inputs = args.map((a) => (a.data instanceof Int32Array ? dev.tensor(a.data, [...a.shape], 'i32') : dev.tensor(a.data, [...a.shape])));
  const outputs = outs.map((o) => (o.dtype === 'f32' ? dev.zeros([...o.shape]) : dev.zeros([...o.shape], 'i32')));
  try {
    await launch(dev, artifact, inputs, outputs, dims, scalars);
    return await Promise.all(outputs.map((o) => o.read()));
  } finally {
    for (const t of [...inputs, ...outputs]) t.destroy();
  }
}

// Chosen to cover every lowering path while compiling fast on lavapipe, whose shader
// compile time grows quickly with unrolled memory accesses (seconds for unroll 4).
const CONFIGS: readonly ConfigInput[] = [
  {}, // the default: 64×64 tiles, 8×8 micro-tiles, operands read directly in vec4s, grouped grid
  { blocks: { tm: 32, tn: 32, tk: 16 }, microTile: [4, 4], stageA: true, stageB: true, unroll: 2, vectorWidth: 2 }, // both staged, vector workgroup reads, k remainder loop
  { blocks: { tm: 1, tn: 32, tk: 16 }, microTile: [1, 4], unroll: 4, groupM: 4 }, // a read in vec4s along k (unroll 4)
  { blocks: { tm: 16, tn: 16, tk: 16 }, microTile: [1, 1], vectorWidth: 1, stageA: true, stageB: true, groupM: 1 }, // scalar, row-major grid
];
const SIZES = [[33, 47, 65], [1, 1, 1], [128, 200, 96]] as const;

describeWebGPU('WGSL @ on the adapter', (ctx) => {
  const matmul = lower(MATMUL);

  for (const [ci, config] of CONFIGS.entries()) {
    it(`matmul, config ${ci}: ${JSON.stringify(config)}`, async () => {
      for (const [m, k, n] of SIZES) {
        const a = randomF32(m * k, m + k);
        const b = randomF32(k * n, k + n);
        const [out] = await run(ctx.device, matmul, config, [{ data: a, shape: [m, k] }, { data: b, shape: [k, n] }], [{ shape: [m, n], dtype: 'f32' }], { M: m, K: k, N: n });
        expectClose(out ?? [], matmulRef(a, b, m, k, n), 1e-4, 1e-4, `matmul ${m}×${k}×${n}`);
      }
    }, 30_000);
  }

  it('epilogue: max(acc + bias[tn], 0)', async () => {
    const ir = lower(MATMUL_BIAS_RELU);
    const [m, k, n] = [37, 64, 72];
    const a = randomF32(m * k, 1);
    const b = randomF32(k * n, 2);
    const bias = randomF32(n, 3);
    const c = matmulRef(a, b, m, k, n);
    const want = c.map((x, i) => Math.max(x + (bias[i % n] ?? 0), 0));
    for (const config of [{}, CONFIGS[3] ?? {}]) {
      const [out] = await run(ctx.device, ir, config, [{ data: a, shape: [m, k] }, { data: b, shape: [k, n] }, { data: bias, shape: [n] }], [{ shape: [m, n], dtype: 'f32' }], { M: m, K: k, N: n });
      expectClose(out ?? [], want, 1e-4, 1e-4, `bias+relu ${JSON.stringify(config)}`);
    }
  }, 30_000);

  it('epilogue: alpha * acc with a scalar parameter', async () => {
    const ir = lower(MATMUL_ALPHA);
    const [m, k, n] = [65, 33, 17];
    const a = randomF32(m * k, 4);
    const b = randomF32(k * n, 5);
    const want = matmulRef(a, b, m, k, n).map((x) => -2.5 * x);
    for (const config of [{}, CONFIGS[3] ?? {}]) {
      const [out] = await run(ctx.device, ir, config, [{ data: a, shape: [m, k] }, { data: b, shape: [k, n] }], [{ shape: [m, n], dtype: 'f32' }], { M: m, K: k, N: n }, { alpha: -2.5 });
      expectClose(out ?? [], want, 3e-4, 1e-4, `alpha ${JSON.stringify(config)}`);
    }
  }, 30_000);

  it("a[tm, :] @ b[:, tn] loops over the whole K in chunks", async () => {
    const ir = lower(MATMUL_FULL_K);
    for (const [m, k, n] of [[33, 47, 65], [20, 128, 36]] as const) {
      const a = randomF32(m * k, 6 + k);
      const b = randomF32(k * n, 7 + k);
      for (const config of [{}, { kChunk: 8, blocks: { tm: 32, tn: 32 }, microTile: [4, 2], stageA: true }] as ConfigInput[]) {
        const [out] = await run(ctx.device, ir, config, [{ data: a, shape: [m, k] }, { data: b, shape: [k, n] }], [{ shape: [m, n], dtype: 'f32' }], { M: m, K: k, N: n });
        expectClose(out ?? [], matmulRef(a, b, m, k, n), 1e-4, 1e-4, `full-K ${m}×${k}×${n} ${JSON.stringify(config)}`);
      }
    }
  }, 30_000);

  it('an accumulator read by a reduction stays in workgroup memory (row sums of A·B via atomics)', async () => {
    const ir = lower(`fn k(a: f32[M, K], b: f32[K, N]) -> f32[M] {
  let out = zeros([M], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    atomic_add(out[tm], sum(acc, axis=1));
  }
  return out;
}`);
    const [m, k, n] = [30, 20, 70];
    const a = randomF32(m * k, 8);
    const b = randomF32(k * n, 9);
    const c = matmulRef(a, b, m, k, n);
    const want = Array.from({ length: m }, (_, i) => c.slice(i * n, (i + 1) * n).reduce((s, x) => s + x, 0));
    const [out] = await run(ctx.device, ir, { blocks: { tm: 16, tn: 16, tk: 8 }, microTile: [2, 2], stageA: true }, [{ data: a, shape: [m, k] }, { data: b, shape: [k, n] }], [{ shape: [m], dtype: 'f32' }], { M: m, K: k, N: n });
    expectClose(out ?? [], want, 1e-3, 1e-4, 'row sums');
  }, 30_000);
});

describeWebGPU('WGSL cumsum and atomic_add on the adapter', (ctx) => {
  it('cumsum along a whole row (windowed) and along a block (restarts per block)', async () => {
    const ir = lower(`fn scans(x: f32[M, N], k: i32[M]) -> (f32[M, N], i32[M]) {
  let rows = empty_like(x);
  let blocks = empty([M], i32);
  for tm in tile(M) {
    rows[tm, :] = cumsum(x[tm, :], axis=1);
    blocks[tm] = cumsum(k[tm]);
  }
  return (rows, blocks);
}`);
    for (const [m, n, tm, wg] of [[10, 33, 4, 64], [1, 1, 1, 256], [7, 700, 8, 128]] as const) {
      const x = randomF32(m * n, m * 13 + n);
      const r = rng(m + n);
      const k = Int32Array.from({ length: m }, () => Math.floor((r() - 0.5) * 2000));
      const [rows, blocks] = await run(ctx.device, ir, { blocks: { tm }, workgroupSize: wg }, [{ data: x, shape: [m, n] }, { data: k, shape: [m] }],
        [{ shape: [m, n], dtype: 'f32' }, { shape: [m], dtype: 'i32' }], { M: m, N: n });
      const want = new Float64Array(m * n);
      for (let i = 0; i < m; i++) {
        let acc = 0;
        for (let j = 0; j < n; j++) want[i * n + j] = acc += x[i * n + j] ?? 0;
      }
      expectClose(rows ?? [], want, 1e-4, 1e-5, `row cumsum ${m}×${n} tm=${tm}`);
      const wantK = new Int32Array(m);
      for (let i = 0; i < m; i++) wantK[i] = (i % tm === 0 ? 0 : wantK[i - 1] ?? 0) + (k[i] ?? 0);
      expect(Array.from(blocks ?? [])).toEqual(Array.from(wantK));
    }
  }, 30_000);

  it('cumsum of a 2-D block along either axis', async () => {
    const ir = lower(`fn k(x: f32[M, N]) -> (f32[M, N], f32[M, N]) {
  let o0 = empty_like(x);
  let o1 = empty_like(x);
  for (tm, tn) in tile([M, N]) {
    o0[tm, tn] = cumsum(x[tm, tn], axis=0);
    o1[tm, tn] = cumsum(x[tm, tn] * 2.0, axis=1);
  }
  return (o0, o1);
}`);
    const [m, n, bm, bn] = [19, 23, 8, 16];
    const x = randomF32(m * n, 11);
    const [o0, o1] = await run(ctx.device, ir, { blocks: { tm: bm, tn: bn }, workgroupSize: 64 }, [{ data: x, shape: [m, n] }], [{ shape: [m, n], dtype: 'f32' }, { shape: [m, n], dtype: 'f32' }], { M: m, N: n });
    const w0 = new Float64Array(m * n);
    const w1 = new Float64Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const v = x[i * n + j] ?? 0;
        w0[i * n + j] = v + (i % bm === 0 ? 0 : w0[(i - 1) * n + j] ?? 0);
        w1[i * n + j] = 2 * v + (j % bn === 0 ? 0 : w1[i * n + j - 1] ?? 0);
      }
    }
    expectClose(o0 ?? [], w0, 1e-5, 1e-5, 'cumsum axis=0');
    expectClose(o1 ?? [], w1, 1e-5, 1e-5, 'cumsum axis=1');
  }, 30_000);

  it('atomic_add: column sums in f32 (compare-exchange) and i32 (atomicAdd)', async () => {
    const ir = lower(`fn colsum(x: f32[M, N], y: i32[M, N]) -> (f32[N], i32[N]) {
  let out = zeros([N], f32);
  let cnt = zeros([N], i32);
  for (tm, tn) in tile([M, N]) {
    atomic_add(out[tn], sum(x[tm, tn], axis=0));
    atomic_add(cnt[tn], sum(y[tm, tn], axis=0));
  }
  return (out, cnt);
}`);
    const [m, n] = [300, 37];
    const x = randomF32(m * n, 12);
    const r = rng(13);
    const y = Int32Array.from({ length: m * n }, () => Math.floor((r() - 0.5) * 100));
    for (const config of [{ blocks: { tm: 16, tn: 16 }, workgroupSize: 64 }, { blocks: { tm: 4, tn: 8 }, workgroupSize: 32 }]) {
      const [out, cnt] = await run(ctx.device, ir, config, [{ data: x, shape: [m, n] }, { data: y, shape: [m, n] }], [{ shape: [n], dtype: 'f32' }, { shape: [n], dtype: 'i32' }], { M: m, N: n });
      const want = Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => x[i * n + j] ?? 0).reduce((s, v) => s + v, 0));
      const wantI = Array.from({ length: n }, (_, j) => Array.from({ length: m }, (_, i) => y[i * n + j] ?? 0).reduce((s, v) => s + v, 0));
      expectClose(out ?? [], want, 1e-4, 1e-5, `f32 column sums ${JSON.stringify(config)}`);
      expect(Array.from(cnt ?? [])).toEqual(wantI);
    }
  }, 30_000);
});
