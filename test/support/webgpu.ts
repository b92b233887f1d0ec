/**
 * Shared by every suite that needs a real WebGPU adapter. `describeWebGPU` runs its tests
 * on a fresh device when an adapter exists and skips them (with the reason in the suite
 * name) when none does, so `vitest` passes on machines without a Vulkan driver. With
 * TESSERA_REQUIRE_WEBGPU=1 (CI on machines that have lavapipe) a missing adapter fails
 * instead, so a broken driver install cannot turn the suite silently green.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { hasWebGPU, init } from 'tessera-gpu-runtime';
import type { Device, InitOptions, WebGPUAvailability } from 'tessera-gpu-runtime';

/** Read once, here at the outermost layer (STYLE.md 13). */
export const requireWebGPU = process.env['TESSERA_REQUIRE_WEBGPU'] === '1';

/** Whether this process has a WebGPU adapter, and which; resolved once per test file. */
export const webgpu: WebGPUAvailability = await hasWebGPU();

export interface WebGPUContext {
  /** The suite's device; only valid inside tests and hooks (it is created in beforeAll). */
  readonly device: Device;
}

/**
 * A describe() whose tests get `ctx.device`, created before the suite and disposed after
 * it (a live device keeps Dawn's threads running, and the process from exiting).
 */
export function describeWebGPU(name: string, fn: (ctx: WebGPUContext) => void, options: InitOptions = {}): void {
  if (!webgpu.ok) {
    const reason = webgpu.reason;
    if (requireWebGPU) {
      describe(name, () => {
        it('needs a WebGPU adapter (TESSERA_REQUIRE_WEBGPU=1)', () => {
          throw new Error(`No WebGPU adapter: ${reason}. Run scripts/install-vulkan.sh as root, or unset TESSERA_REQUIRE_WEBGPU.`);
        });
      });
      return;
    }
    describe.skip(`${name} [skipped: no WebGPU adapter: ${reason}]`, () => fn(unavailable));
    return;
  }
  describe(name, () => {
    let device: Device | undefined;
    beforeAll(async () => {
      // Explicitly WebGPU: plain init() prefers the wasm backend over a software adapter.
      device = await init({ backend: 'webgpu', ...options });
    });
    afterAll(() => {
      device?.dispose();
      device = undefined;
    });
    fn({
      get device(): Device {
        if (device === undefined) throw new Error('ctx.device is only available inside tests and hooks');
        return device;
      },
    });
  });
}

const unavailable: WebGPUContext = {
  get device(): Device {
    throw new Error('no WebGPU adapter');
  },
};
