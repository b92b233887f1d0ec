/**
 * Buffers of destroyed tensors are reused by the next tensor of their size: empty()
 * takes one as it is, zeros() clears it first, and kernel outputs allocated on each call
 * stay correct across reuse.
 */
import { expect, it } from 'vitest';
import { softmax, softmaxReference } from '../../examples/softmax.ts';
import { describeWebGPU } from '../support/webgpu.ts';
import { maxAbsDiff, randomF32 } from '../support/random.ts';

describeWebGPU('buffer reuse', (ctx) => {
  it('empty() takes a destroyed tensor\'s buffer; live counts stay exact', async () => {
    const d = ctx.device;
    const before = d.stats();
    const a = d.tensor(randomF32(1000, 1), [1000]);
    const buffer = a.buffer;
    a.destroy();
    expect(d.stats().liveBuffers).toBe(before.liveBuffers);
    expect(d.stats().reusableBuffers).toBe(before.reusableBuffers + 1);
    const b = d.empty([1000]);
    expect(b.buffer).toBe(buffer);
    expect(d.stats().reusableBuffers).toBe(before.reusableBuffers);
    expect(d.stats().liveBuffers).toBe(before.liveBuffers + 1);
    // A different size gets a buffer of its own.
    const c = d.empty([999]);
    expect(c.buffer).not.toBe(buffer);
    b.destroy();
    c.destroy();
  });

  it('zeros() clears a reused buffer', async () => {
    const d = ctx.device;
    const a = d.tensor(randomF32(4096, 2), [4096]);
    const buffer = a.buffer;
    a.destroy();
    const z = d.zeros([4096]);
    expect(z.buffer).toBe(buffer);
    expect(Array.from(await z.read()).every((x) => x === 0)).toBe(true);
    z.destroy();
  });

  it('kernel outputs are correct when each call reuses the last call\'s buffer', async () => {
    const d = ctx.device;
    const [rows, cols] = [37, 301];
    for (let seed = 0; seed < 3; seed++) {
      const xs = randomF32(rows * cols, seed + 10, -4, 4);
      const x = d.tensor(xs, [rows, cols]);
      const [out] = await softmax.run([x]);
      expect(maxAbsDiff((await out?.read()) ?? [], softmaxReference(xs, rows, cols))).toBeLessThan(1e-5);
      out?.destroy();
      x.destroy();
    }
  });
});
