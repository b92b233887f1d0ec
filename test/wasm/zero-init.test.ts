/**
 * Accumulating outputs (zeros + atomic_add) on the wasm backend start from zero on every
 * run, as a WebGPU dispatch clears them: runs into the same outputs, and the repeats
 * measure() and the autotuner time, must not add onto an earlier run's result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, kernel, type Device } from 'tessera-gpu';
import { randomF32 } from '../support/random.ts';

const columnSums = kernel`
fn column_sums(x: f32[M, N]) -> f32[N] {
  let out = zeros([N], f32);
  for (tm, tn) in tile([M, N]) {
    atomic_add(out[tn], sum(x[tm, tn], axis=0));
  }
  return out;
}`;

const total = kernel`
fn total(x: i32[N]) -> i32[1] {
  let out = zeros([1], i32);
  for tn in tile(N) {
    atomic_add(out[0], sum(x[tn]));
  }
  return out;
}`;

function columnSumsRef(x: Float32Array, m: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) out[c] = (out[c] ?? 0) + (x[r * n + c] ?? 0);
  return out;
}

describe('wasm zeroInit outputs across repeated runs', () => {
  let device: Device;
  beforeAll(async () => {
    device = await init({ backend: 'wasm', threads: 2 });
  });
  afterAll(() => device.dispose());

  it('f32 atomic column sums into caller-given outputs give one sum, not the sum of all runs', async () => {
    for (const [m, n] of [[37, 21], [1, 3], [100, 1001]] as const) {
      const x = randomF32(m * n, m + n);
      const want = columnSumsRef(x, m, n);
      const args = [device.tensor(x, [m, n])];
      const out = device.zeros([n], 'f32');
      const config = { blocks: { tm: 4, tn: 16 }, threads: 2 };
      for (let run = 0; run < 3; run++) await columnSums.run(args, { config, outputs: [out] });
      const got = await out.read();
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? 0)) / (1 + Math.abs(want[i] ?? 0)));
      expect(worst, `${m}x${n}`).toBeLessThan(1e-4);
      out.destroy();
    }
  });

  it('measure() repeats leave an i32 atomic total equal to one run', async () => {
    const n = 1027;
    const x = Int32Array.from(randomF32(n, 9), (v) => Math.round(v * 100));
    const want = x.reduce((a, b) => a + b, 0);
    const args = [device.tensor(x, [n])];
    const out = device.zeros([1], 'i32');
    // measure() runs warmup + repeats into the outputs it is given; each must start from zero.
    await total.measure(args, { config: { blocks: { tn: 64 } }, outputs: [out], warmup: 2, repeats: 4 });
    expect(out.destroyed).toBe(false);
    expect(Array.from(await out.read())).toEqual([want]);
    out.destroy();
  });
});
