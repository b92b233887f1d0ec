/**
 * Every entry of examples/checks.ts (what `npm run example` runs) passes its own check on
 * both backends, with the default config, at its ragged default size.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, type Device } from 'tessera';
import { EXAMPLES, runCheck } from '../../examples/checks.ts';
import { webgpu } from '../support/webgpu.ts';

const backends = webgpu.ok ? (['webgpu', 'interpreter'] as const) : (['interpreter'] as const);

for (const backend of backends) {
  describe(`example checks on ${backend}`, () => {
    let device: Device | undefined;
    beforeAll(async () => {
      device = await init({ backend });
    });
    afterAll(() => device?.dispose());

    for (const check of EXAMPLES) {
      it(`${check.name}`, async () => {
        if (!device) throw new Error('no device');
        const c = check.make(device);
        // The reference must not be trivial: all-zero expectations would pass a no-op kernel.
        expect(c.expected.every((e) => e.some((v) => v !== 0))).toBe(true);
        expect(await runCheck(check, c)).toBeLessThanOrEqual(check.tolerance);
      }, 60_000);
    }
  });
}
