/**
 * The page's program: a kernel on `backend: 'wasm'` in the browser, checked against a
 * plain-JS reference, with which multiply-add the device's feature probe chose; the
 * result goes to window.__wasmResult for the test to read.
 */
import { init, kernel } from 'tessera-gpu';
import { resolveWasmConfig } from 'tessera-gpu-compiler';

const matmul = kernel`
fn matmul(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = acc;
  }
  return out;
}`;

interface Result {
  description: string; maxError: number; threads: number; isolated: boolean;
  /** The device's probe (calling thread and workers) found relaxed SIMD. */
  relaxedSimd: boolean;
  /** The matmul's module holds relaxed SIMD instructions. */
  moduleRelaxed: boolean;
  /** -(1+2⁻¹²) + (1+2⁻¹³)² through the kernel: 2⁻²⁶ where the multiply-add fused, else 0. */
  fusedSum: number;
}

async function main(): Promise<Result> {
  const [m, k, n] = [67, 45, 71];
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i) * 0.5);
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7) * 0.5);
  const device = await init({ backend: 'wasm' });
  const config = { blocks: { tm: 16, tn: 32, tk: 16 } };
  const out = await matmul.run([device.tensor(a, [m, k]), device.tensor(b, [k, n])], { config });
  const ir = matmul.prepared().ir;
  const compiled = await device.wasm?.prepare(ir, resolveWasmConfig(ir, config));
  const e = 2 ** -13;
  const [one] = await matmul.run([
    device.tensor(Float32Array.from([-(1 + 2 * e), 1 + e]), [1, 2]),
    device.tensor(Float32Array.from([1, 1, 1, 1, 1 + e, 1 + e, 1 + e, 1 + e]), [2, 4]),
  ], { config });
  const fusedSum = (await (one?.read() ?? Promise.resolve(new Float32Array(0))))[0] ?? NaN;
  const got = await (out[0]?.read() ?? Promise.resolve(new Float32Array(0)));
  let maxError = got.length === m * n ? 0 : Infinity;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
    maxError = Math.max(maxError, Math.abs((got[i * n + j] ?? NaN) - s));
  }
  const description = device.describe();
  const threads = device.wasm?.threads ?? 0;
  device.dispose();
  return {
    description, maxError, threads, isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    relaxedSimd: device.wasm?.features.relaxedSimd ?? false, moduleRelaxed: compiled?.artifact.uses.relaxedSimd ?? false, fusedSum,
  };
}

const w = globalThis as { __wasmResult?: unknown };
main().then((r) => { w.__wasmResult = r; }, (e: unknown) => { w.__wasmResult = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }; });
