/**
 * The random builtins on every backend: `rand` is uniform on [0, 1) (mean 1/2, variance
 * 1/12, 16 equal buckets), `randn` standard normal (mean 0, variance 1, 68.3% within one
 * sigma), `randint` never repeats over adjacent offsets of one seed, neighbouring offsets
 * and different seeds are uncorrelated — over 100,003 samples. `rand` and `randint` equal
 * the plain-JS hash (examples/dropout.ts) bit for bit, so every backend gives the same
 * numbers; `randn` agrees across backends within f32 rounding of log and cos.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { func, init, kernel, type Device } from 'tessera-gpu';
import { backends } from '../support/backends.ts';
import { dropout, randReference, randnReference, rngBits } from '../../examples/dropout.ts';

/** rand and randint inside a device func, beside one in the kernel: the hash is shared. */
const noisy = func`fn noisy(x: f32, seed: i32, i: i32) -> f32 { return x + rand(seed, i) + f32(randint(seed, i) & 1); }`;
const inFunc = kernel`
fn inFunc(x: f32[N], seed: i32) -> f32[N] {
  let out = empty_like(x);
  for tn in tile(N) {
    out[tn] = ${noisy}(x[tn], seed, tn.index) + rand(seed + 1, tn.index);
  }
  return out;
}`;

const N = 100_003;

const streams = kernel`
fn streams(x: f32[N], seed: i32, other: i32) -> (f32[N], f32[N], u32[N], f32[N]) {
  let u = empty_like(x);
  let z = empty_like(x);
  let bits = empty([N], u32);
  let v = empty_like(x);
  for tn in tile(N) {
    u[tn] = rand(seed, tn.index);
    z[tn] = randn(seed, tn.index);
    bits[tn] = randint(seed, tn.index);
    v[tn] = rand(other, tn.index);
  }
  return (u, z, bits, v);
}`;

interface Streams {
  readonly u: Float32Array;
  readonly z: Float32Array;
  readonly bits: Uint32Array;
  readonly v: Float32Array;
}

async function draw(device: Device, seed: number, other: number): Promise<Streams> {
  const x = device.tensor(new Float32Array(N), [N]);
  const outs = await streams.run([x, seed, other]);
  const [u, z, bits, v] = await Promise.all(outs.map((o) => o.read()));
  for (const t of [x, ...outs]) t.destroy();
  return { u: u as Float32Array, z: z as Float32Array, bits: bits as Uint32Array, v: v as Float32Array };
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] ?? 0;
  return s / a.length;
}
function variance(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] ?? 0) - m) ** 2;
  return s / a.length;
}
function correlation(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  const [ma, mb] = [mean(a), mean(b)];
  let [sab, saa, sbb] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const [x, y] = [(a[i] ?? 0) - ma, (b[i] ?? 0) - mb];
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

const drawn = new Map<string, Streams>();

for (const backend of backends) {
  describe(`random numbers on ${backend}`, () => {
    let device: Device | undefined;
    let s: Streams | undefined;
    const get = async (): Promise<Streams> => {
      device ??= await init({ backend });
      s ??= await draw(device, 20260412, 20260413);
      drawn.set(backend, s);
      return s;
    };
    afterAll(() => device?.dispose());

    it('rand is uniform on [0, 1): mean 1/2, variance 1/12, 16 even buckets', async () => {
      const { u } = await get();
      expect(u.every((x) => x >= 0 && x < 1)).toBe(true);
      // The mean of 1e5 uniforms has sigma 0.0009; the bounds are about 5 sigma.
      expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.005);
      expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.002);
      const buckets = new Array<number>(16).fill(0);
      for (const x of u) buckets[Math.floor(x * 16)]! += 1;
      for (const b of buckets) expect(Math.abs(b - N / 16)).toBeLessThan(0.05 * (N / 16));
    }, 60_000);

    it('randn is standard normal: mean 0, variance 1, 68.3% within one sigma', async () => {
      const { z } = await get();
      expect(z.every(Number.isFinite)).toBe(true);
      expect(Math.abs(mean(z))).toBeLessThan(0.02);
      expect(Math.abs(variance(z) - 1)).toBeLessThan(0.03);
      const within = z.filter((x) => Math.abs(x) < 1).length / N;
      expect(Math.abs(within - 0.6827)).toBeLessThan(0.01);
    }, 60_000);

    it('randint never repeats over adjacent offsets; neighbours and seeds are uncorrelated', async () => {
      const { u, bits, v } = await get();
      expect(new Set(bits).size).toBe(N);
      expect(Math.abs(correlation(u, u.subarray(1), N - 1))).toBeLessThan(0.02);
      expect(Math.abs(correlation(u, v, N))).toBeLessThan(0.02);
      // The low bits are as good as the high ones (rand only uses the top 24).
      expect(Math.abs(mean(Array.from(bits, (b) => b & 1)) - 0.5)).toBeLessThan(0.01);
    }, 60_000);

    it('dropout keeps 1 - p of the elements, the same ones again for the same seed, others for another', async () => {
      device ??= await init({ backend });
      const x = device.tensor(new Float32Array(N).fill(1), [N]);
      const runOnce = async (seed: number): Promise<Float32Array> => {
        const [out] = await dropout.run([x, 0.25, seed]);
        const got = (await out?.read()) as Float32Array;
        out?.destroy();
        return got;
      };
      const [a, again, other] = [await runOnce(5), await runOnce(5), await runOnce(6)];
      x.destroy();
      const kept = a.filter((v) => v !== 0).length / N;
      expect(Math.abs(kept - 0.75)).toBeLessThan(0.01);
      // Kept elements are scaled by 1 / (1 - p), so the expected value is unchanged.
      expect(Math.abs(mean(a) - 1)).toBeLessThan(0.02);
      expect(Buffer.from(again.buffer).equals(Buffer.from(a.buffer))).toBe(true);
      const same = a.filter((v, i) => (v !== 0) === ((other[i] ?? 0) !== 0)).length / N;
      // Independent masks agree where both keep or both drop: 0.75² + 0.25² = 0.625.
      expect(Math.abs(same - 0.625)).toBeLessThan(0.01);
    }, 60_000);

    it('rand and randint inside a device func', async () => {
      device ??= await init({ backend });
      const n = 1003;
      const x = device.tensor(Float32Array.from({ length: n }, (_, i) => (i % 7) - 3), [n]);
      const [out] = await inFunc.run([x, -9]);
      const got = await out?.read();
      for (const t of [x, out]) t?.destroy();
      const fr = Math.fround;
      const want = Array.from({ length: n }, (_, i) => fr(fr(fr((i % 7) - 3 + randReference(-9, i)) + (rngBits(-9, i) & 1)) + randReference(-8, i)));
      expect(Array.from(got ?? [])).toEqual(want);
    }, 60_000);

    it('rand and randint equal the plain-JS hash bit for bit; randn within f32 rounding', async () => {
      const { u, z, bits } = await get();
      for (let i = 0; i < N; i += 1) {
        if (bits[i] !== rngBits(20260412, i) || u[i] !== randReference(20260412, i)) {
          expect.fail(`offset ${i}: randint ${bits[i]} rand ${u[i]}, JS gives ${rngBits(20260412, i)} ${randReference(20260412, i)}`);
        }
        const want = randnReference(20260412, i);
        if (Math.abs((z[i] ?? NaN) - want) > 2e-5 * (1 + Math.abs(want))) expect.fail(`offset ${i}: randn ${z[i]}, JS gives ${want}`);
      }
    }, 60_000);
  });
}

describe('random numbers across backends', () => {
  it('every backend drew the same rand and randint bits (randn within f32 rounding)', () => {
    const all = [...drawn.values()];
    const first = all[0];
    expect(all.length).toBe(backends.length);
    for (const other of all.slice(1)) {
      expect(Buffer.from(other.u.buffer).equals(Buffer.from(first!.u.buffer))).toBe(true);
      expect(Buffer.from(other.bits.buffer).equals(Buffer.from(first!.bits.buffer))).toBe(true);
      let worst = 0;
      for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs((other.z[i] ?? 0) - (first!.z[i] ?? 0)));
      // Each backend is within 2e-5·(1 + |z|) of the double reference, and |z| < 6 here.
      expect(worst).toBeLessThan(3e-4);
    }
  });
});
