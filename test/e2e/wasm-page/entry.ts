/**
 * The page's program: a kernel on `backend: 'wasm'` in the browser, checked against a
 * plain-JS reference; the result goes to window.__wasmResult for the test to read.
 */
import { init, kernel } from 'tessera-gpu';

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

async function main(): Promise<{ description: string; maxError: number; threads: number; isolated: boolean }> {
  const [m, k, n] = [67, 45, 71];
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i) * 0.5);
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7) * 0.5);
  const device = await init({ backend: 'wasm' });
  const out = await matmul.run([device.tensor(a, [m, k]), device.tensor(b, [k, n])], { config: { blocks: { tm: 16, tn: 32, tk: 16 } } });
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
  return { description, maxError, threads, isolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true };
}

const w = globalThis as { __wasmResult?: unknown };
main().then((r) => { w.__wasmResult = r; }, (e: unknown) => { w.__wasmResult = { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }; });
