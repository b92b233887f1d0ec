/**
 * CPU peers of the wasm backend: TF.js's wasm backend (XNNPACK) and CPU backend,
 * jax-js's wasm device, and numpy (OpenBLAS) in a python3 subprocess when present — the
 * machine's physical reference, not a same-process peer.
 */
import { spawnSync } from 'node:child_process';
import { installIteratorHelpers } from './iterator-helpers.ts';

installIteratorHelpers();
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-cpu');
await import('@tensorflow/tfjs-backend-wasm');
const jax = await import('@jax-js/jax');

export type Tf = typeof tf;
export type TfTensor = ReturnType<typeof tf.tensor>;
export type Jax = typeof jax;
export type JaxArray = InstanceType<typeof jax.Array>;

export async function useTfCpu(backend: 'wasm' | 'cpu'): Promise<Tf> {
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`TF.js backend ${backend} failed to initialise`);
  }
  await tf.ready();
  return tf;
}

/** A TF.js op on a CPU backend, run to completion (dataSync) and freed. */
export function tfCpuTimed(backend: 'wasm' | 'cpu', op: () => TfTensor): () => Promise<void> {
  return async () => {
    await useTfCpu(backend);
    const out = op();
    out.dataSync();
    out.dispose();
  };
}

let jaxReady: Promise<Jax> | undefined;
export function useJaxWasm(): Promise<Jax> {
  jaxReady ??= (async () => {
    const devices = await jax.init('wasm');
    if (!devices.includes('wasm')) throw new Error(`jax-js has no wasm device (has ${devices.join(', ')})`);
    return jax;
  })();
  return jaxReady;
}

export function jaxWasmArray(data: Float32Array, shape: number[]): JaxArray {
  return jax.numpy.array(data, { device: 'wasm' }).reshape(shape);
}

/** A jit-compiled jax-js function on its wasm device, run to completion. */
export function jaxWasmTimed(f: () => JaxArray): () => Promise<void> {
  return async () => {
    const r = f();
    await jax.blockUntilReady(r);
    r.dispose();
  };
}

const NUMPY = String.raw`
import json, sys, time
import numpy as np
def median(f, ms):
    f(); f()
    xs = []; t_end = time.perf_counter() + ms / 1000
    while len(xs) < 5 or time.perf_counter() < t_end:
        t0 = time.perf_counter(); f(); xs.append((time.perf_counter() - t0) * 1000)
        if len(xs) > 200: break
    xs.sort(); return xs[len(xs) // 2]
rng = np.random.default_rng(1)
a = rng.random((1024, 1024), dtype=np.float32); b = rng.random((1024, 1024), dtype=np.float32)
x = rng.random((4096, 1024), dtype=np.float32); g = rng.random(1024, dtype=np.float32); bb = rng.random(1024, dtype=np.float32)
src = np.ones(4 * 1024 * 1024, dtype=np.float32); dst = np.empty_like(src)
def softmax():
    e = np.exp(x - x.max(axis=1, keepdims=True)); return e / e.sum(axis=1, keepdims=True)
def layernorm():
    m = x.mean(axis=1, keepdims=True); c = x - m; v = (c * c).mean(axis=1, keepdims=True)
    return c / np.sqrt(v + 1e-5) * g + bb
ms = float(sys.argv[1])
print(json.dumps({'matmul': median(lambda: a @ b, ms), 'softmax': median(softmax, ms), 'layernorm': median(layernorm, ms),
                  'copy': median(lambda: np.copyto(dst, src), ms)}))
`;

/** numpy's median ms per workload (matmul 1024³, softmax and layernorm 4096×1024, 16 MiB copy); undefined without python3 + numpy. */
export function numpyTimes(ms: number): Record<string, number> | undefined {
  const r = spawnSync('python3', ['-c', NUMPY, String(ms)], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout) as Record<string, number>;
  } catch {
    return undefined;
  }
}
