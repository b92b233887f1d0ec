/**
 * Shared by the compiler suites: kernel source → verified tile IR, the adapter's limits,
 * and plain-JS references (f64) for the kernels under test.
 */
import { kernelFromSource } from 'tessera-gpu-dsl';
import { checkKernel } from 'tessera-gpu-dsl/check';
import { lowerToIR, DEFAULT_LIMITS, type DeviceLimits, type KernelIR } from 'tessera-gpu-compiler';
import { matmul, matmulBiasRelu } from '../../examples/matmul.ts';

/** Parses, checks and lowers `source`, verifying the IR after every pass. */
export function lower(source: string): KernelIR {
  const def = kernelFromSource(source);
  if (!def.ast) throw new Error(`parse failed: ${JSON.stringify(def.diagnostics)}`);
  const checked = checkKernel(def.ast, def.holes);
  if (!checked.kernel) throw new Error(`check failed: ${JSON.stringify(checked.diagnostics.map((d) => d.message))}`);
  return lowerToIR(checked.kernel, { verify: true });
}

/** lavapipe's limits (the suites compile against the adapter they run on). */
export const LAVAPIPE_LIMITS: DeviceLimits = {
  ...DEFAULT_LIMITS,
  maxComputeInvocationsPerWorkgroup: 1024,
  maxComputeWorkgroupSizeX: 1024,
  maxComputeWorkgroupStorageSize: 32768,
};

// The example kernels' own source text: the tests compile exactly what users run.
export const MATMUL = matmul.def.source.text;
export const MATMUL_BIAS_RELU = matmulBiasRelu.def.source.text;

export const MATMUL_ALPHA = `fn matmul_alpha(a: f32[M, K], b: f32[K, N], alpha: f32) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    var acc = zeros([tm, tn], f32);
    for tk in tile(K) {
      acc += a[tm, tk] @ b[tk, tn];
    }
    out[tm, tn] = alpha * acc;
  }
  return out;
}`;

/** `@` over a whole K: the compiler loops over K in chunks itself. */
export const MATMUL_FULL_K = `fn matmul_full(a: f32[M, K], b: f32[K, N]) -> f32[M, N] {
  let out = empty([M, N], f32);
  for (tm, tn) in tile([M, N]) {
    let c = a[tm, :] @ b[:, tn];
    out[tm, tn] = c;
  }
  return out;
}`;

/** C = A·B in f64, row-major. */
export function matmulRef(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p] ?? 0;
      for (let j = 0; j < n; j++) c[i * n + j] = (c[i * n + j] ?? 0) + x * (b[p * n + j] ?? 0);
    }
  }
  return c;
}
