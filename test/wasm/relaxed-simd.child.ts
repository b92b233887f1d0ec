/**
 * Runs `@` kernels on the wasm backend at ragged sizes, on one thread and on three (the
 * workers' feature handshake), against plain-JS f64 references, and prints one JSON line:
 * which multiply-add the engine was found to have, which the kernels' modules hold, the
 * worst error, and how one sum that a fused multiply-add keeps and two roundings lose
 * came out. relaxed-simd.test.ts starts it with and without
 * `--experimental-wasm-relaxed-simd` (a V8 flag Node accepts only on its command line).
 */
import { init, kernel, type ConfigInput, type Device } from 'tessera-gpu';
import { resolveWasmConfig } from 'tessera-gpu-compiler';
import { randomF32 } from '../support/random.ts';
import { matmul } from '../../examples/matmul.ts';

// The product through a scratch tile (b transposed), then a scaled accumulator.
const decayedNT = kernel`
fn decayed_nt(a: f32[M, K], bt: f32[N, K]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc = acc * 0.5 + a[tm, tk] @ transpose(bt[tn, tk]);
    }
    out[tm, tn] = acc;
  }
  return out;
}`;

/** Σ_p a[i,p]·b(p,j) in f64, the accumulator halved before each k block of `decayTk`. */
function reference(a: Float32Array, b: (p: number, j: number) => number, m: number, k: number, n: number, decayTk?: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      const step = decayTk ?? k;
      for (let p0 = 0; p0 < k; p0 += step) {
        let part = 0;
        for (let p = p0; p < Math.min(k, p0 + step); p++) part += (a[i * k + p] ?? 0) * b(p, j);
        acc = decayTk === undefined ? acc + part : acc * 0.5 + part;
      }
      out[i * n + j] = acc;
    }
  }
  return out;
}

function worstError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) / (1 + Math.abs(want[i] ?? 0)));
  return worst;
}

/** The kernel's module for this config on this device, as the executor lowered it. */
async function moduleUses(d: Device, k: typeof matmul, config: ConfigInput): Promise<boolean> {
  const ir = k.prepared().ir;
  const c = await d.wasm?.prepare(ir, resolveWasmConfig(ir, config));
  if (!c) throw new Error('not a wasm device');
  return c.artifact.uses.relaxedSimd;
}

async function run(d: Device, k: typeof matmul, inputs: readonly { data: Float32Array; shape: [number, number] }[], config: ConfigInput): Promise<Float32Array> {
  const tensors = inputs.map((x) => d.tensor(x.data, x.shape));
  const [out] = await k.run(tensors, { config });
  if (!out) throw new Error('no output');
  const got = Float32Array.from(await out.read());
  out.destroy();
  for (const t of tensors) t.destroy();
  return got;
}

const shapes: readonly [number, number, number][] = [[67, 45, 71], [130, 257, 99], [5, 300, 13]];
const configs: readonly ConfigInput[] = [
  {},
  { blocks: { tm: 16, tn: 24, tk: 16 }, microTile: [3, 8] },
  { blocks: { tm: 32, tn: 32, tk: 64 }, microTile: [2, 16], unroll: 4 },
];

const report = { features: false, threads: [] as number[], modules: [] as boolean[], worst: 0, cases: 0, fusedSum: NaN };
for (const threads of [1, 3]) {
  const d = await init({ backend: 'wasm', threads });
  report.features = d.wasm?.features.relaxedSimd ?? false;
  report.threads.push(d.wasm?.threads ?? 0);
  for (const [si, [m, kk, n]] of shapes.entries()) {
    const a = randomF32(m * kk, 10 + si);
    const b = randomF32(kk * n, 20 + si);
    const bt = Float32Array.from({ length: n * kk }, (_, x) => b[(x % kk) * n + Math.floor(x / kk)] ?? 0);
    const plain = reference(a, (p, j) => b[p * n + j] ?? 0, m, kk, n);
    for (const config of configs) {
      report.modules.push(await moduleUses(d, matmul, config));
      const got = await run(d, matmul, [{ data: a, shape: [m, kk] }, { data: b, shape: [kk, n] }], config);
      report.worst = Math.max(report.worst, worstError(got, plain));
      const tk = (config.blocks?.['tk'] as number | undefined) ?? 128;
      report.modules.push(await moduleUses(d, decayedNT, config));
      const decayed = await run(d, decayedNT, [{ data: a, shape: [m, kk] }, { data: bt, shape: [n, kk] }], config);
      report.worst = Math.max(report.worst, worstError(decayed, reference(a, (p, j) => b[p * n + j] ?? 0, m, kk, n, tk)));
      report.cases += 2;
    }
  }
  // -(1+2⁻¹²) + (1+2⁻¹³)² = 2⁻²⁶ exactly; rounding the square to f32 first gives 0.
  const e = 2 ** -13;
  const one = await run(d, matmul, [
    { data: Float32Array.from([-(1 + 2 * e), 1 + e]), shape: [1, 2] },
    { data: Float32Array.from([1, 1, 1, 1, 1 + e, 1 + e, 1 + e, 1 + e]), shape: [2, 4] },
  ], { blocks: { tm: 16, tn: 16, tk: 16 } });
  report.fusedSum = one[0] ?? NaN;
  if (!one.every((x) => x === one[0])) throw new Error(`lanes disagree: ${[...one].join(', ')}`);
  d.dispose();
}
console.log(`relaxed-simd-report ${JSON.stringify(report)}`);
