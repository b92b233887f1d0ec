/**
 * describeOnBackends plus the wasm backend: suites about what every backend must refuse
 * or fill alike run on all three executors.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { init, type Device } from 'tessera-gpu';
import { backends } from '../support/backends.ts';

// backends already lists wasm; the Set keeps a suite from running twice on it.
export const allBackends: readonly ('webgpu' | 'interpreter' | 'wasm')[] = [...new Set([...backends, 'wasm' as const])];

export function describeOnAllBackends(name: string, fn: (device: () => Device) => void): void {
  for (const backend of allBackends) {
    describe(`${name} on ${backend}`, () => {
      let d: Device | undefined;
      beforeAll(async () => {
        d = await init({ backend, notice: () => {} });
      });
      afterAll(() => d?.dispose());
      fn(() => {
        if (!d) throw new Error('no device');
        return d;
      });
    });
  }
}
