import { expect, it } from 'vitest';
import { ArgumentError, fromF16Bits, toF16Bits } from 'tessera-gpu-runtime';
import { describeWebGPU } from '../support/webgpu.ts';
import { randomF32, randomI32, randomU32 } from './random.ts';

const SIZES = [1, 3, 1001];

describeWebGPU('tensor', (ctx) => {
  it.each(SIZES)('round-trips f32, i32, u32 and f16 data of size %i', async (n) => {
    const d = ctx.device;
    const f32 = randomF32(n, n);
    const i32 = randomI32(n, n + 1);
    const u32 = randomU32(n, n + 2);
    const f16 = toF16Bits(randomF32(n, n + 3));

    const tf = d.tensor(f32, [n]);
    const ti = d.tensor(i32, [n]);
    const tu = d.tensor(u32, [n]);
    const th = d.tensor(f16, [n], 'f16');
    expect([tf.dtype, ti.dtype, tu.dtype, th.dtype]).toEqual(['f32', 'i32', 'u32', 'f16']);

    expect(await tf.read()).toEqual(f32);
    expect(await ti.read()).toEqual(i32);
    expect(await tu.read()).toEqual(u32);
    const half = await th.read();
    expect(half).toBeInstanceOf(Float32Array);
    expect(half).toEqual(fromF16Bits(f16));
    for (const t of [tf, ti, tu, th]) t.destroy();
  });

  it('converts Float32Array and number[] to f16, and stores bool as u32 0/1', async () => {
    const d = ctx.device;
    const h = d.tensor(new Float32Array([0.1, 1, -65504]), [3], 'f16');
    expect(h.byteLength).toBe(6);
    expect(Array.from(await h.read())).toEqual(Array.from(fromF16Bits(toF16Bits([0.1, 1, -65504]))));
    const b = d.tensor([true, false, true], [3], 'bool');
    expect(b.buffer.size).toBeGreaterThanOrEqual(12);
    expect(await b.read()).toEqual(new Uint8Array([1, 0, 1]));
    const plain = d.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(plain.dtype).toBe('f32');
    expect(plain.size).toBe(6);
    expect(plain.shape).toEqual([2, 3]);
    for (const t of [h, b, plain]) t.destroy();
  });

  it('supports zero-size tensors', async () => {
    const d = ctx.device;
    const t = d.tensor(new Float32Array(0), [0, 5]);
    expect(t.size).toBe(0);
    expect(t.buffer.size).toBeGreaterThanOrEqual(4);
    expect(await t.read()).toEqual(new Float32Array(0));
    const e = d.empty([3, 0], 'i32');
    expect(await e.read()).toEqual(new Int32Array(0));
    t.destroy();
    e.destroy();
  });

  it('zeros() reads back as zeros; buffer sizes are padded to 16 bytes', async () => {
    const z = ctx.device.zeros([7], 'u32');
    expect(z.buffer.size).toBe(32);
    expect(await z.read()).toEqual(new Uint32Array(7));
    z.destroy();
  });

  it('returns the live buffer count to its baseline after destroy', async () => {
    const d = ctx.device;
    const before = d.stats().liveBuffers;
    const bytesBefore = d.stats().liveBytes;
    const ts = [d.tensor(randomF32(100, 1), [10, 10]), d.zeros([5], 'i32'), d.empty([2], 'f16')];
    expect(d.stats().liveBuffers).toBe(before + 3);
    await Promise.all(ts.map((t) => t.read()));
    expect(d.stats().liveBuffers).toBe(before + 3); // staging buffers are gone
    for (const t of ts) t.destroy();
    ts[0]?.destroy(); // idempotent: does not decrement twice
    expect(d.stats().liveBuffers).toBe(before);
    expect(d.stats().liveBytes).toBe(bytesBefore);
  });

  it('rejects wrong data with ArgumentErrors that say what was expected', async () => {
    const d = ctx.device;
    expect(() => d.tensor(new Float32Array(5), [2, 3])).toThrow(/6 elements for shape \[2, 3\]/);
    // The overloads already reject a Uint16Array without a dtype; JS callers get the error.
    // @ts-expect-error -- deliberately untyped call
    expect(() => d.tensor(new Uint16Array(2), [2])).toThrow(ArgumentError);
    // @ts-expect-error -- deliberately untyped call
    expect(() => d.tensor(new Uint16Array(2), [2])).toThrow(/'f16'/);
    expect(() => d.tensor(new Float32Array(2), [2], 'i32')).toThrow(/Int32Array/);
    expect(() => d.zeros([-1])).toThrow(/non-negative integers/);
    expect(() => d.zeros([1.5])).toThrow(ArgumentError);
    const t = d.zeros([2]);
    t.destroy();
    await expect(t.read()).rejects.toThrow(/after destroy/);
  });
});
