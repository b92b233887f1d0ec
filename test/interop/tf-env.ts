/**
 * TF.js's WebGPU backend in Node: it looks for navigator.gpu, so Dawn's GPU object goes
 * there before the backend is imported. Tessera finds the same navigator.gpu, so both
 * run on the same adapter.
 */
import { create, globals } from 'webgpu';

export function installNavigatorGpu(): void {
  if ((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu !== undefined) return;
  for (const [k, v] of Object.entries(globals)) {
    if (!(k in globalThis)) Object.defineProperty(globalThis, k, { value: v, configurable: true, writable: true });
  }
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]), userAgent: 'node' }, configurable: true });
}
