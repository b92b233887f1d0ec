/**
 * The wasm backend's vector exp (compiler/src/wasm/exp.ts) against Math.exp, held to
 * WGSL's accuracy for f32 exp (3 + 2·|x| ulp) and to 2.5 ulp for |x| < 1: every 1/4096
 * step over the whole finite range, the ends of the range (the largest f32 whose e^x is
 * finite, the least whose e^x is normal, and their neighbours), ±Infinity, NaNs (with
 * payload bits too) and ±0. The length is not a multiple of 4, so the last elements take
 * the scalar path; it is held to the same bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, kernel, type Device } from 'tessera-gpu';

const expK = kernel`
fn exp_all(x: f32[N]) -> f32[N] {
  let out = empty_like(x);
  for t in tile(N) { out[t] = exp(x[t]); }
  return out;
}`;

/** The f32 `steps` representable values above (or below, negative) `x`. */
function nextF32(x: number, steps: number): number {
  const f = new Float32Array([x]);
  const i = new Int32Array(f.buffer);
  i[0] = (i[0] ?? 0) + (x >= 0 ? steps : -steps);
  return f[0] ?? NaN;
}

const HI = 88.72283172607422;
const LO = -87.33654022216797;

describe('wasm vector exp', () => {
  let device: Device;
  beforeAll(async () => {
    device = await init({ backend: 'wasm', threads: 1 });
  });
  afterAll(() => device.dispose());

  it('is within WGSL\'s 3 + 2·|x| ulp of Math.exp over the finite range (2.5 ulp near 0), with exact ends', async () => {
    const dense: number[] = [];
    for (let v = -87.25; v <= 88.7; v += 1 / 4096) dense.push(v);
    const ends = [HI, nextF32(HI, 1), nextF32(HI, -1), LO, nextF32(LO, 1), nextF32(LO, -1), 89, 100, 1e30, -88, -100, -1e30, 0, -0, 1e-30, -1e-30];
    // NaNs with payload bits (a NaN's low bits must not leak into the result's exponent).
    const nans = new Float32Array(new Int32Array([0x7fc00001, 0x7fc001ff, 0xffc00123 | 0, 0x7f800001]).buffer);
    const special = [Infinity, -Infinity, NaN, ...nans];
    const xs = new Float32Array(dense.length + ends.length + special.length + 3);
    xs.set([...dense, ...ends]);
    xs.set(special.slice(0, 3), dense.length + ends.length);
    xs.set(nans, dense.length + ends.length + 3);
    xs.set([1, 2, 3], xs.length - 3);
    expect(xs.length % 4).not.toBe(0);
    const out = await (await expK.run([device.tensor(xs, [xs.length])], { config: { blocks: { t: 1024 } } }))[0]!.read();
    let worst = 0;
    let at = 0;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] ?? 0;
      const want = Math.fround(Math.exp(x));
      const got = out[i] ?? NaN;
      if (Number.isNaN(want)) {
        expect(got, `exp(${x})`).toBeNaN();
        continue;
      }
      if (want === Infinity || want === 0 || want < 2 ** -126) {
        // Subnormal results are flushed to 0 by the vector path.
        expect(got === want || (want < 2 ** -126 && got === 0), `exp(${x}) = ${got}, want ${want}`).toBe(true);
        continue;
      }
      const ulp = nextF32(want, 1) - want;
      const err = Math.abs(got - Math.exp(x)) / ulp;
      // Error as a fraction of the allowed: WGSL's bound, and 2.5 ulp where |x| < 1.
      const share = err / (Math.abs(x) < 1 ? 2.5 : 3 + 2 * Math.abs(x));
      if (share > worst) {
        worst = share;
        at = x;
      }
    }
    expect(worst, `worst at x = ${at}`).toBeLessThan(1);
    expect(out[xs.length - 1]).toBeCloseTo(Math.exp(3), 4);
  });

  it('gives the same bits for a value whether or not its vector holds a lane out of range', async () => {
    // Vectors whose lanes are all in range skip the ends' fix-ups; one out-of-range lane
    // sends the whole vector through them. Each value appears in an all-in-range vector
    // (first half) and beside an out-of-range lane (second half: lane 3 of each vector).
    const outside = [-Infinity, -100, -87.5, 88.73, 89, Infinity, NaN, ...new Float32Array(new Int32Array([0x7fc00001, 0xffc00123 | 0]).buffer)];
    const inside: number[] = [-87.33654022216797, -87.3, -87, -50, -1e-30, -0, 0, 1e-30, 0.5, 30, 87.3, 87.33654022216797];
    for (let v = -87; v <= 87; v += 0.37) inside.push(v);
    const vectors = Math.ceil(inside.length / 3);
    const xs = new Float32Array(8 * vectors + 3);
    for (let i = 0; i < inside.length; i++) {
      const vec = Math.floor(i / 3);
      const lane = i % 3;
      xs[4 * vec + lane] = inside[i] ?? 0;
      xs[4 * vec + 3] = 1;
      xs[4 * (vectors + vec) + lane] = inside[i] ?? 0;
      xs[4 * (vectors + vec) + 3] = outside[vec % outside.length] ?? NaN;
    }
    // The scalar tail (3 elements, not a whole vector) runs the same routine in lane 0.
    xs.set([inside[0] ?? 0, -100, NaN], 8 * vectors);
    const out = await (await expK.run([device.tensor(xs, [xs.length])], { config: { blocks: { t: 512 } } }))[0]!.read();
    const bits = new Int32Array(out.buffer, out.byteOffset, out.length);
    for (let i = 0; i < inside.length; i++) {
      const vec = Math.floor(i / 3);
      const lane = i % 3;
      expect(bits[4 * (vectors + vec) + lane], `exp(${inside[i]}) beside ${outside[vec % outside.length]}`).toBe(bits[4 * vec + lane]);
    }
    for (let vec = 0; vec < vectors; vec++) {
      const x = outside[vec % outside.length] ?? NaN;
      const got = out[4 * (vectors + vec) + 3] ?? 0;
      if (Number.isNaN(x)) expect(got).toBeNaN();
      else expect(got, `exp(${x})`).toBe(x > 0 ? Infinity : 0);
    }
    expect(bits[8 * vectors]).toBe(bits[0]);
    expect(out[8 * vectors + 1]).toBe(0);
    expect(out[8 * vectors + 2]).toBeNaN();
  });
});
