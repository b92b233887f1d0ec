/**
 * Division by a loop-invariant divisor on the wasm backend, which multiplies by a
 * reciprocal computed once (compiler/src/wasm/vector.ts byReciprocal): against the f32
 * quotient, for divisors whose reciprocal alone would overflow or be subnormal (tiny and
 * huge magnitudes) and ±0, on dividends including 0 and ±Infinity. The
 * length is not a multiple of 4, so the scalar tail (a true division) is checked too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, kernel, type Device } from 'tessera-gpu';
import { randomF32 } from '../support/random.ts';

const divide = kernel`
fn divide(x: f32[N], d: f32) -> f32[N] {
  let out = empty_like(x);
  for t in tile(N) { out[t] = x[t] / d; }
  return out;
}`;

function ulpOf(v: number): number {
  const f = new Float32Array([Math.abs(v)]);
  const i = new Int32Array(f.buffer);
  i[0] = (i[0] ?? 0) + 1;
  return (f[0] ?? NaN) - Math.abs(v);
}

describe('wasm division by an invariant divisor', () => {
  let device: Device;
  beforeAll(async () => {
    device = await init({ backend: 'wasm', threads: 1 });
  });
  afterAll(() => device.dispose());

  it('matches the f32 quotient within 2 ulp, and exactly at 0, Infinity and NaN', async () => {
    const x = Float32Array.from([...randomF32(97, 3, -4, 4), 0, -0, Infinity, -Infinity, 1e-30, 3e38, 1, 2, 3]);
    // Scalar arguments are finite: ±0 stand in for the non-finite divisors.
    const divisors = [3, -7.5, 1e-40, -3e-39, 1e-30, 1e30, 3e38, 2 ** -64, 2 ** 64, 0, -0];
    for (const d of divisors) {
      const out = await (await divide.run([device.tensor(x, [x.length]), d], { config: { blocks: { t: 64 } } }))[0]!.read();
      for (let i = 0; i < x.length; i++) {
        const want = Math.fround((x[i] ?? 0) / Math.fround(d));
        const got = out[i] ?? NaN;
        const what = `${x[i]} / ${d}: got ${got}, want ${want}`;
        if (Number.isNaN(want)) expect(got, what).toBeNaN();
        else if (!Number.isFinite(want) || want === 0) expect(got, what).toBe(want);
        else expect(Math.abs(got - want) / ulpOf(want), what).toBeLessThanOrEqual(2);
      }
    }
  });
});
