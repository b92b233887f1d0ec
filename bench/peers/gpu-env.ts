/**
 * One WebGPU entry point for every library in the benchmark process, so Tessera and the
 * peers run on the same adapter. TF.js and jax-js look for `navigator.gpu` (jax-js also
 * reads `navigator.userAgent`), so the shim goes in before they are imported.
 */
import { create, globals } from 'webgpu';

let installed = false;

export function installNavigatorGpu(): GPU {
  const existing = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (installed && existing) return existing;
  for (const [k, v] of Object.entries(globals)) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  // Timestamps are quantised to ~0.26 ms by default; benchmarks want them exact.
  const gpu = create(['disable-dawn-features=timestamp_quantization']);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: 'node' }, configurable: true });
  installed = true;
  return gpu;
}
