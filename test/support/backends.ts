/**
 * Suites that run on every backend this machine has: WebGPU when an adapter exists, and
 * the interpreter and wasm always. Each backend's suite gets its own device, created before the
 * suite and disposed after it.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { init, type Device } from 'tessera-gpu';
import { webgpu } from './webgpu.ts';

export const backends = webgpu.ok ? (['webgpu', 'interpreter', 'wasm'] as const) : (['interpreter', 'wasm'] as const);

/** `describe(`${name} on ${backend}`)` per backend; `device()` is valid inside its tests. */
export function describeOnBackends(name: string, fn: (device: () => Device) => void): void {
  for (const backend of backends) {
    describe(`${name} on ${backend}`, () => {
      let d: Device | undefined;
      beforeAll(async () => {
        d = await init({ backend });
      });
      afterAll(() => d?.dispose());
      fn(() => {
        if (!d) throw new Error('no device');
        return d;
      });
    });
  }
}
