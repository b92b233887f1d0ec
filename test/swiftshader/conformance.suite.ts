/**
 * The conformance suite on SwiftShader (run by swiftshader.test.ts in a child process
 * whose Vulkan loader sees only SwiftShader): every case at its first config and largest
 * ragged size, so every construct is checked on a second driver. SwiftShader is ~10×
 * slower than lavapipe, hence the subset.
 *
 * Where SwiftShader differs from lavapipe within what WebGPU allows, the case says so:
 * - it has no shader-f16: an f16 kernel must fail with the typed UnsupportedFeatureError;
 * - its sin/cos are accurate to ~2e-4 on the cases' [-6, 6] (WGSL requires 2⁻¹¹ absolute
 *   error on [-π, π] and nothing outside), where lavapipe's are within 5e-6; `randn`
 *   multiplies its cos by a radius of up to sqrt(-2 ln 2⁻²⁴) < 6, so its bound is 6 · 2⁻¹¹.
 */
import { expect, it } from 'vitest';
import { ALL_CASES } from '../conformance/all-cases.ts';
import { runCase } from '../conformance/run-case.ts';
import type { ConformanceCase } from '../conformance/cases.ts';
import { describeWebGPU } from '../support/webgpu.ts';

const WGSL_TRIG_ERROR = 2 ** -11;
const TRIG = new Set(['elementwise sin', 'elementwise cos']);
const RANDN_RADIUS = 6;

function withSpecTolerance(c: ConformanceCase): ConformanceCase {
  if (TRIG.has(c.name)) return { ...c, atol: Math.max(c.atol, WGSL_TRIG_ERROR) };
  if (c.name.startsWith('randn:')) return { ...c, atol: Math.max(c.atol, RANDN_RADIUS * WGSL_TRIG_ERROR) };
  return c;
}

describeWebGPU('conformance: SwiftShader', (ctx) => {
  it('runs on SwiftShader, not another adapter', () => {
    expect(ctx.device.info.architecture).toBe('swiftshader');
  });
  for (const c of ALL_CASES) {
    it(c.name, async () => {
      if (/\bf16\b/.test(c.source) && !ctx.device.features.has('shader-f16')) {
        await expect(runCase(c, ctx.device, { subset: true })).rejects.toThrow(/needs the WebGPU feature 'shader-f16'/);
        return;
      }
      await runCase(withSpecTolerance(c), ctx.device, { subset: true });
    });
  }
});
