/**
 * Every backend validates tensors and allocations the same way (validate.ts): a destroyed
 * tensor, a tensor of another or a disposed device, and storage past the device's limits
 * (a 16 GiB zeros, 2^33 elements) are typed errors naming what was wrong, on the
 * interpreter exactly as on WebGPU. Host data that is not numbers is refused by name.
 */
import { expect, it } from 'vitest';
import { ArgumentError, DeviceError, init, TesseraError, type Device } from 'tessera-gpu';
import { randomInputs } from 'tessera-gpu-runtime';
import { add, addReference } from '../../examples/add.ts';
import { describeOnAllBackends } from './all-backends.ts';
import { randomF32 } from '../support/random.ts';

/** The error `f` throws or rejects with (fails the test if it returns normally). */
async function failure(f: () => unknown): Promise<Error> {
  try {
    await f();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`);
  }
  throw new Error('expected a failure, but it succeeded');
}

describeOnAllBackends('validation', (device) => {
  it('a destroyed tensor is refused, naming the parameter', async () => {
    const d = device();
    const x = d.tensor(randomF32(37, 1), [37]);
    const y = d.tensor(randomF32(37, 2), [37]);
    y.destroy();
    const e = await failure(() => add(x, y));
    expect(e).toBeInstanceOf(ArgumentError);
    expect((e as ArgumentError).parameter).toBe('y');
    expect(e.message).toMatch(/after destroy\(\)/);
    expect(await failure(() => y.read())).toBeInstanceOf(ArgumentError);
    x.destroy();
  });

  it('a tensor of a disposed device is refused with kind "disposed", and reads of it too', async () => {
    const other = await init({ backend: device().backend, notice: () => {} });
    const x = other.tensor(randomF32(37, 3), [37]);
    other.dispose();
    const onDisposed = await failure(() => add.run([x, x], { device: other }));
    expect(onDisposed).toBeInstanceOf(DeviceError);
    expect((onDisposed as DeviceError).kind).toBe('disposed');
    expect((onDisposed as DeviceError).kernel).toBe('add');
    const read = await failure(() => x.read());
    expect(read).toBeInstanceOf(DeviceError);
    expect((read as DeviceError).kind).toBe('disposed');
    // Passed to a live device: a tensor of another (disposed) device, by name.
    const onLive = await failure(() => add.run([x, x], { device: device() }));
    expect(onLive).toBeInstanceOf(ArgumentError);
    expect(onLive.message).toMatch(/'x'.*disposed device/);
  });

  it('a tensor of another live device is refused', async () => {
    const other = await init({ backend: device().backend, notice: () => {} });
    try {
      const x = device().tensor(randomF32(10, 4), [10]);
      const y = other.tensor(randomF32(10, 5), [10]);
      const e = await failure(() => add(x, y));
      expect(e).toBeInstanceOf(ArgumentError);
      expect((e as ArgumentError).parameter).toBe('y');
      expect(e.message).toMatch(/another device/);
      x.destroy();
    } finally {
      other.dispose();
    }
  });

  it('storage past the device limits is refused before allocating: 16 GiB zeros, 2^33 elements', async () => {
    const d = device();
    const before = d.stats().liveBuffers;
    const limit = d.info.limits.maxBufferSize;
    for (const make of [
      () => d.zeros([4, 1024, 1024, 1024]),
      () => d.empty([2 ** 33]),
      () => d.zeros([2 ** 31, 2 ** 31, 2 ** 31], 'f16'),
      () => d.zeros([Math.floor(limit / 4) + 1]),
    ]) {
      const e = await failure(make);
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e).not.toBeInstanceOf(RangeError);
      expect((e as ArgumentError).parameter).toBe('shape');
      expect(e.message).toContain(`at most ${limit} bytes`);
    }
    expect(d.stats().liveBuffers).toBe(before);
    // The largest size allowed still works (a small sanity check of the bound's direction).
    const ok = d.zeros([1000]);
    expect(Array.from(await ok.read()).every((v) => v === 0)).toBe(true);
    ok.destroy();
  });

  it('autotuning inputs of a huge shape (N=1e12) are a typed error, before any host array is filled', () => {
    const d = device();
    for (const N of [1e12, 2 ** 33]) {
      let error: unknown;
      try {
        randomInputs(d, add.prepared().ir, { N });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as Error).message).toMatch(/input 'x'/);
    }
  });

  it('host data that is not numbers is refused, naming what came', async () => {
    const d = device();
    const cases: [unknown, RegExp][] = [
      [['a', {}, undefined], /the string "a" at index 0/],
      [[1, 2, 'x'], /the string "x" at index 2/],
      [[1, undefined, 3], /undefined at index 1/],
      [[1, {}, 3], /an object at index 1/],
      [[true, 1, false], /the number 1 at index 1 of a boolean array/],
      [[1n, 2n, 3n], /the bigint 1n at index 0/],
      [new Float64Array(3), /got Float64Array/],
      [new BigInt64Array(3), /got BigInt64Array/],
      [new Int8Array(3), /got Int8Array/],
      [null, /got null/],
      [undefined, /got undefined/],
      [{ length: 3 }, /got an object/],
      ['abc', /got the string "abc"/],
    ];
    for (const [data, message] of cases) {
      const e = await failure(() => d.tensor(data as number[], [3]));
      expect(e).toBeInstanceOf(ArgumentError);
      expect((e as ArgumentError).parameter).toBe('data');
      expect(e.message).toMatch(message);
      expect(e.message).not.toMatch(/Uint8Array with no dtype/);
    }
    // Integers that do not fit the dtype are not truncated or wrapped.
    for (const [data, dtype] of [[[1.5, 2, 3], 'i32'], [[-1, 2, 3], 'u32'], [[2 ** 31, 0, 0], 'i32'], [[NaN, 0, 0], 'u32']] as const) {
      const e = await failure(() => d.tensor([...data], [3], dtype));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toMatch(/at index 0/);
    }
    // What is valid still round-trips, NaN and Infinity included for f32.
    const t = d.tensor([1.5, NaN, -Infinity], [3]);
    expect(Array.from(await t.read())).toEqual([1.5, NaN, -Infinity]);
    t.destroy();
    const b = d.tensor([true, false, true], [3], 'bool');
    expect(Array.from(await b.read())).toEqual([1, 0, 1]);
    b.destroy();
  });

  it('a shape that is not an array of integers is refused without throwing inside the check', async () => {
    const d = device();
    for (const shape of [[3n], [1.5], [-1], null, 'abc', [NaN]]) {
      const e = await failure(() => d.zeros(shape as number[]));
      expect(e).toBeInstanceOf(ArgumentError);
      expect((e as ArgumentError).parameter).toBe('shape');
    }
  });

  it('an object shaped like a tensor is not reported as if it matched', async () => {
    const d = device();
    const x = d.tensor(randomF32(3, 6), [3]);
    const fake = { shape: [3], dtype: 'f32' };
    const e = await failure(() => add.run([x, fake as never]));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/not a Tensor/);
    expect(e.message).not.toMatch(/got f32\[3\]/);
    x.destroy();
  });

  it('device errors name the backend they come from, once', async () => {
    const d = device();
    const other = await init({ backend: d.backend, notice: () => {} });
    const x = other.tensor(randomF32(5, 7), [5]);
    other.dispose();
    const e = await failure(() => add.run([x, x], { device: other }));
    expect(e).toBeInstanceOf(TesseraError);
    if (d.backend !== 'webgpu') expect(e.message).not.toMatch(/WebGPU/);
    else expect(e.message.match(/WebGPU/g)?.length).toBe(1);
    expect(e.message.match(/disposed/g)?.length).toBeGreaterThan(0);
    expect(e.message).not.toMatch(/error in kernel '[^']*': \w+ [\w-]+ error:/);
  });

  it('valid calls still compute the right thing after refused ones', async () => {
    const d: Device = device();
    const xs = randomF32(1001, 8);
    const ys = randomF32(1001, 9);
    const [out] = await add.run([d.tensor(xs, [1001]), d.tensor(ys, [1001])]);
    expect(Array.from((await out?.read()) ?? [])).toEqual(Array.from(addReference(xs, ys)));
  });
});
